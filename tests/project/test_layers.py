"""The apps import one another only downwards, layer by layer, and never in a circle.

The layers are declared below and explained in docs/architecture.md. Imports are read with `ast`,
never executed, so the check needs no Django and no database, and a broken module cannot hide a
broken layer. The checker is a few small functions over a package root, so the tests at the end
can prove it on synthetic trees.
"""

import ast
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src" / "shpalta"
DOC = "docs/architecture.md"
# Packages of the project itself, not apps: with the top-level modules (urls.py, cli.py, wsgi.py,
# asgi.py, db_router.py, testing.py) they form the project, the top layer, which may import any
# app and which no app may import.
PROJECT_PACKAGES = frozenset({"settings"})

LAYERS = [
    # foundation: the Ukrainian text toolkit; infrastructure (serving, workers, health, security headers, client address, on-commit helper) that imports no content app  # noqa: E501
    {"text", "ops"},
    # the photo library: images cleaned of metadata, renditions, focal-point crops
    {"photos"},
    # articles, rubrics, tags, authors: the publishing rule, reader pages, admin
    {"news"},
    # the page cache, the site version that keys it, CDN purges
    # ... and the newsroom's machinery on top of articles: roles, review, revisions, edit locks
    {"caching", "newsroom"},
    # capabilities: each imports only layers below, never a sibling
    {"search", "related", "popular", "importers", "feeds", "telegram", "live"},
    # outreach that composes capabilities: the newsletter's digest ranks by popular's views;
    # ad and promo spots count impressions through popular's de-duplication and bot filter
    {"newsletter", "ads"},
    # the JSON API over the capabilities; the one place reactions to an article's change are wired
    {"api", "changes"},
]


class Import(NamedTuple):
    """One import statement that reaches outside the module's own app."""

    target: str  # the app imported, or the project module (`settings`, `urls`, ...)
    file: str  # as shown in messages: src/shpalta/<app>/...
    line: int
    statement: str  # the import as written, e.g. `from ..news import models`

    def where(self) -> str:
        return f"{self.file}:{self.line}: `{self.statement}`"


def apps_in(root: Path, project_packages=PROJECT_PACKAGES) -> set[str]:
    """The apps: the direct sub-packages of the root that are not part of the project."""
    return {
        directory.name
        for directory in root.iterdir()
        if (directory / "__init__.py").is_file() and directory.name not in project_packages
    }


def sources(directory: Path) -> list[Path]:
    """Every Python module under the directory, migrations included."""
    return sorted(path for path in directory.rglob("*.py") if "__pycache__" not in path.parts)


def shown(root: Path, path: Path) -> str:
    return path.relative_to(root.parent.parent).as_posix()


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def walk_imports(node: ast.AST, functions: tuple[str, ...] = ()) -> Iterator:
    """Every import statement under the node, with the names of the functions enclosing it."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, functions
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from walk_imports(child, (*functions, child.name))
        else:
            yield from walk_imports(child, functions)


def imported_modules(node: ast.Import | ast.ImportFrom, package: list[str]) -> list[list[str]]:
    """The absolute dotted names an import statement reaches, each split into its parts.

    `package` is the package the module's relative imports start from: for
    shpalta/news/views.py and for shpalta/news/__init__.py alike it is ["shpalta", "news"].
    For `from a.b import c` the name is a.b.c, which is a module or an attribute of a.b; only
    its first two parts matter here, and for `from shpalta import news` the second is the app.
    """
    if isinstance(node, ast.Import):
        return [alias.name.split(".") for alias in node.names]
    base: list[str] = []
    if node.level:
        climb = node.level - 1
        if climb >= len(package):
            return []  # beyond the top-level package: an ImportError when run
        base = package[: len(package) - climb]
    if node.module:
        base = [*base, *node.module.split(".")]
    return [base if alias.name == "*" else [*base, alias.name] for alias in node.names]


def app_imports(root: Path, project_packages=PROJECT_PACKAGES) -> dict[str, set[Import]]:
    """For every app, its imports of other apps and of the project, wherever they stand."""
    found: dict[str, set[Import]] = {}
    for app in sorted(apps_in(root, project_packages)):
        found[app] = set()
        for path in sources(root / app):
            package = [root.name, *path.relative_to(root).parts[:-1]]
            for node, _ in walk_imports(parse(path)):
                for module in imported_modules(node, package):
                    if len(module) > 1 and module[0] == root.name and module[1] != app:
                        statement = ast.unparse(node)
                        found[app].add(Import(module[1], shown(root, path), node.lineno, statement))
    return found


def in_order(imports: set[Import]) -> list[Import]:
    return sorted(imports, key=lambda edge: (edge.file, edge.line, edge.target))


def layer_violations(imports: dict[str, set[Import]], layers: list[set[str]]) -> list[str]:
    """Every import that breaks the layering, and every app the layers do not place."""
    rank = {app: index for index, layer in enumerate(layers) for app in layer}

    def layer(app: str) -> str:
        return f"layer {rank[app] + 1} ({', '.join(sorted(layers[rank[app]]))})"

    problems = [
        f"the app `{app}` is in no layer: add it to LAYERS in tests/project/test_layers.py and "
        f"describe it in {DOC}, in the layer whose apps it may import from"
        for app in sorted(imports)
        if app not in rank
    ]
    for app in sorted(imports):
        for edge in in_order(imports[app]):
            target = edge.target
            if target not in imports:
                problems.append(
                    f"{edge.where()}: the app `{app}` imports the project (shpalta.{target}); "
                    f"the project sits on top of every app and no app may import it (see {DOC})"
                )
            elif app not in rank or target not in rank:
                continue  # reported above: place the app first
            elif rank[target] == rank[app]:
                problems.append(
                    f"{edge.where()}: `{app}` imports `{target}`, an app of its own "
                    f"{layer(app)}; apps of one layer never import one another: move the shared "
                    f"code down a layer, or the wiring up a layer (see {DOC})"
                )
            elif rank[target] > rank[app]:
                problems.append(
                    f"{edge.where()}: `{app}` in {layer(app)} imports `{target}` from the higher "
                    f"{layer(target)}; an app may import only apps of lower layers (see {DOC})"
                )
    return problems


def function_level_imports(root: Path) -> list[str]:
    """Every import of a shpalta module inside a function, outside an AppConfig.ready method.

    Migrations are left out: a RunPython function importing the code it runs is the pattern
    Django documents, and a migration is a frozen record that nothing else imports.
    """
    problems = []
    for path in sources(root):
        if "migrations" in path.relative_to(root).parts:
            continue
        package = [root.name, *path.relative_to(root).parts[:-1]]
        for node, functions in walk_imports(parse(path)):
            if not functions or (path.name == "apps.py" and functions[0] == "ready"):
                continue
            if any(module[:1] == [root.name] for module in imported_modules(node, package)):
                problems.append(
                    f"{shown(root, path)}:{node.lineno}: `{ast.unparse(node)}` imports a shpalta "
                    f"module inside `{'.'.join(functions)}()`; import it at the top of the module "
                    f"(a function-level import hides a dependency, and often a cycle), or, to "
                    f"connect signal receivers, in the AppConfig.ready method in apps.py "
                    f"(see {DOC})"
                )
    return problems


def import_cycles(imports: dict[str, set[Import]]) -> list[list[str]]:
    """One shortest cycle through each group of apps that import one another in a circle."""
    graph = {
        app: {e.target for e in edges if e.target in imports} for app, edges in imports.items()
    }

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    reach = {app: reachable(app) for app in graph}
    groups = {
        frozenset({app} | {other for other in reach[app] if app in reach[other]})
        for app in graph
        if app in reach[app]
    }
    cycles = []
    for group in sorted(groups, key=sorted):
        start = min(group)
        came_from: dict[str, str] = {}
        queue = deque([start])
        while start not in came_from:
            app = queue.popleft()
            for target in sorted(graph[app] & group):
                if target not in came_from:
                    came_from[target] = app
                    queue.append(target)
        cycle = [start]
        while came_from[cycle[0]] != start:
            cycle.insert(0, came_from[cycle[0]])
        cycles.append([start, *cycle])
    return cycles


def describe_cycle(cycle: list[str], imports: dict[str, set[Import]]) -> str:
    lines = [f"the apps import one another in a circle: {' → '.join(cycle)}"]
    for app, target in zip(cycle, cycle[1:], strict=False):
        edges = in_order({edge for edge in imports[app] if edge.target == target})
        more = f" (and {len(edges) - 1} more)" if len(edges) > 1 else ""
        lines.append(f"  {app} → {target}: {edges[0].where()}{more}")
    lines.append(f"  break the circle by moving code to the lower app's layer (see {DOC})")
    return "\n".join(lines)


def report(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


# The real tree.


def test_every_app_imports_only_apps_of_lower_layers_and_never_the_project():
    report(layer_violations(app_imports(ROOT), LAYERS))


def test_no_shpalta_module_is_imported_inside_a_function_except_app_config_ready():
    report(function_level_imports(ROOT))


def test_the_architecture_map_names_every_app_in_its_layer():
    """docs/architecture.md's layer table lists each app of LAYERS on its layer's row, in order."""
    doc = (ROOT.parents[1] / DOC).read_text()
    rows = [line for line in doc.splitlines() if line.startswith("| ") and "`" in line]
    found = {}
    for number, line in enumerate(rows):
        apps_cell = line.split("|")[2]
        for app in {a for layer in LAYERS for a in layer}:
            if f"`{app}`" in apps_cell:
                found.setdefault(app, number)
    missing = {a for layer in LAYERS for a in layer} - set(found)
    assert not missing, f"{DOC} does not name {sorted(missing)} in its layer table"
    order = [max(found[a] for a in layer) for layer in LAYERS]
    firsts = [min(found[a] for a in layer) for layer in LAYERS]
    assert all(order[n] < firsts[n + 1] for n in range(len(LAYERS) - 1)), (
        f"{DOC} lists the layers in another order than LAYERS"
    )


def test_the_apps_never_import_one_another_in_a_circle():
    imports = app_imports(ROOT)
    report([describe_cycle(cycle, imports) for cycle in import_cycles(imports)])


# The checker itself, on synthetic trees: it passes a clean one and catches every broken rule.

CLEAN = {
    "settings/__init__.py": "from shpalta.ops import conf\n",
    "urls.py": "from shpalta.api import urls\nfrom shpalta.news import views\n",
    "ops/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class OpsConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from . import signals\n"
    ),
    "text/lemmas.py": "def lemmatiser():\n    import simplemma\n\n    return simplemma\n",
    "news/models.py": "from shpalta.text import slugs\nfrom ..ops import workers\n",
    "news/__init__.py": "from . import models\n",
    "news/migrations/0001_initial.py": "from shpalta.text.slugs import slugify\n",
    "caching/versioning.py": "import shpalta.news.models\n",
    "search/__init__.py": "from .. import news, text\n",
    "search/backends/sqlite.py": "from ..views import results\nfrom ...caching import pages\n",
    "popular/counters.py": "from shpalta import caching\n",
    "api/articles.py": "from shpalta.search import service\nfrom shpalta.popular import ranking\n",
    "changes/apps.py": "from shpalta.related import updates\nfrom ..feeds import versioning\n",
}


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package laid out as src/shpalta is, with every app of LAYERS and the given modules."""
    root = tmp_path / "src" / "shpalta"
    for app in ["settings", *set().union(*LAYERS)]:
        (root / app).mkdir(parents=True, exist_ok=True)
        (root / app / "__init__.py").touch()
    (root / "__init__.py").touch()
    for name, text in {**CLEAN, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def everything_wrong(root: Path, layers=LAYERS) -> list[str]:
    imports = app_imports(root)
    cycles = [describe_cycle(cycle, imports) for cycle in import_cycles(imports)]
    return layer_violations(imports, layers) + function_level_imports(root) + cycles


def test_the_checker_passes_a_clean_tree_where_the_project_imports_every_app(tmp_path):
    root = tree(tmp_path, {})
    assert everything_wrong(root) == []
    assert "settings" not in app_imports(root)


@pytest.mark.parametrize(
    ("statement", "targets"),
    [
        ("import shpalta.news.models", {"news"}),
        ("import shpalta.news.models as models", {"news"}),
        ("from shpalta.news import models", {"news"}),
        ("from shpalta.news.models import Article", {"news"}),
        ("from shpalta import news", {"news"}),
        ("from shpalta import text, news", {"text", "news"}),
        ("from ..news import models", {"news"}),
        ("from .. import news", {"news"}),
        ("from .. import text, news", {"text", "news"}),
        ("from . import pages", set()),
        ("from .pages import cached", set()),
        ("import shpalta", set()),
        ("import django.shortcuts", set()),
    ],
)
def test_every_import_form_names_the_app_it_reaches(tmp_path, statement, targets):
    root = tree(tmp_path, {"caching/middleware.py": f"{statement}\n"})
    found = {e.target for e in app_imports(root)["caching"] if e.file.endswith("middleware.py")}
    assert found == targets


@pytest.mark.parametrize(
    ("module", "statement", "target"),
    [
        ("search/views.py", "from . import backends", None),
        ("search/__init__.py", "from . import views", None),
        ("search/__init__.py", "from .views import results", None),
        ("search/backends/__init__.py", "from .. import views", None),
        ("search/backends/postgres.py", "from ..views import results", None),
        ("search/backends/postgres.py", "from ... import news", "news"),
        ("search/__init__.py", "from .. import popular", "popular"),
        ("search/__init__.py", "from ..popular import ranking", "popular"),
        ("search/backends/__init__.py", "from ... import popular", "popular"),
        ("search/backends/postgres.py", "from ...popular.ranking import score", "popular"),
        ("search/management/commands/reindex.py", "from ....popular import ranking", "popular"),
    ],
)
def test_relative_imports_resolve_against_the_package_of_the_module(
    tmp_path, module, statement, target
):
    root = tree(tmp_path, {module: f"{statement}\n"})
    found = {e.target for e in app_imports(root)["search"] if e.file.endswith(module)}
    assert found == ({target} if target else set())


@pytest.mark.parametrize(
    "module",
    ["news/views.py", "news/migrations/0002_cached_pages.py", "news/templatetags/pages.py"],
)
def test_the_checker_fails_an_app_importing_a_higher_layer(tmp_path, module):
    root = tree(tmp_path, {module: '"""Pages."""\n\nfrom shpalta.caching import versioning\n'})
    [problem] = layer_violations(app_imports(root), LAYERS)
    assert problem.startswith(f"src/shpalta/{module}:3: `from shpalta.caching import versioning`")
    assert "`news` in layer 3 (news) imports `caching` from the higher layer 4" in problem
    assert DOC in problem


def test_the_checker_fails_an_app_importing_an_app_of_its_own_layer(tmp_path):
    root = tree(tmp_path, {"search/ranking.py": "from shpalta.popular import counters\n"})
    [problem] = layer_violations(app_imports(root), LAYERS)
    assert problem.startswith("src/shpalta/search/ranking.py:1: `from shpalta.popular import")
    assert "`search` imports `popular`, an app of its own layer 5" in problem
    assert DOC in problem


@pytest.mark.parametrize(
    ("module", "statement"),
    [
        ("search/ranking.py", "from ..popular import counters"),
        ("search/ranking.py", "from .. import popular"),
        ("search/__init__.py", "from ..popular import counters"),
        ("search/backends/sqlite.py", "from ...popular.counters import hits"),
        ("news/models.py", "from ..caching import versioning"),
    ],
)
def test_the_checker_fails_a_relative_import_climbing_out_of_an_app(tmp_path, module, statement):
    root = tree(tmp_path, {module: f"{statement}\n"})
    [problem] = layer_violations(app_imports(root), LAYERS)
    assert problem.startswith(f"src/shpalta/{module}:1: `{statement}`")


@pytest.mark.parametrize(
    "statement",
    ["from shpalta.settings import base", "from shpalta import urls", "from .. import settings"],
)
def test_the_checker_fails_an_app_importing_the_project(tmp_path, statement):
    root = tree(tmp_path, {"news/views.py": f"{statement}\n"})
    [problem] = layer_violations(app_imports(root), LAYERS)
    assert problem.startswith(f"src/shpalta/news/views.py:1: `{statement}`")
    assert "the app `news` imports the project" in problem


def test_the_checker_fails_an_app_missing_from_the_layers(tmp_path):
    root = tree(tmp_path, {"weather/__init__.py": "from shpalta.news import models\n"})
    [problem] = layer_violations(app_imports(root), LAYERS)
    assert "the app `weather` is in no layer" in problem
    assert "add it to LAYERS in tests/project/test_layers.py" in problem
    assert DOC in problem


def test_the_layers_are_a_parameter_of_the_checker(tmp_path):
    root = tree(tmp_path, {})
    flattened = [*LAYERS[:3]]
    flattened.append(set().union(*LAYERS[3:]))
    problems = layer_violations(app_imports(root), flattened)
    assert problems and all("an app of its own layer 4" in problem for problem in problems)


@pytest.mark.parametrize(
    ("module", "source", "line"),
    [
        ("related/updates.py", "def spread():\n    from .tasks import spread_scheduled\n", 2),
        ("text/lemmas.py", "def lemma():\n    import shpalta.text.tokens\n", 2),
        (
            "search/indexing.py",
            "class Index:\n    def ready(self):\n        from shpalta.search import documents\n",
            3,
        ),
        ("ops/apps.py", "def connect():\n    from . import signals\n", 2),
        ("cli.py", "def main():\n    from shpalta.ops import serve\n", 2),
    ],
)
def test_the_checker_fails_a_function_level_import_of_a_shpalta_module(
    tmp_path, module, source, line
):
    root = tree(tmp_path, {module: source})
    [problem] = function_level_imports(root)
    assert problem.startswith(f"src/shpalta/{module}:{line}: `")
    assert "imports a shpalta module inside" in problem
    assert DOC in problem


def test_the_checker_reports_a_cycle_with_the_imports_that_close_it(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/views.py": "from shpalta.feeds import links\nfrom shpalta.feeds import meta\n",
            "feeds/links.py": "from ..news.models import Article\n",
        },
    )
    imports = app_imports(root)
    assert import_cycles(imports) == [["feeds", "news", "feeds"]]
    message = describe_cycle(["feeds", "news", "feeds"], imports)
    assert "feeds → news: src/shpalta/feeds/links.py:1: `from ..news.models import" in message
    assert "news → feeds: src/shpalta/news/views.py:1: " in message
    assert "(and 1 more)" in message
