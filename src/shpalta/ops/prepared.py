"""Querysets compiled to SQL once per process: a reader page's hot queries run Django's own SQL
with new values instead of compiling it again on every request.

Django turns a queryset into SQL on every evaluation. For an article page's four queries
(the story with its rubric and cover, its authors, its tags, its «Більше подібного» list) that
costs about 2 ms of a 6 ms render on this machine, where running them takes a tenth of that:
the SQL text never changes, only the slug and the time do.

`Prepared(build)` takes a function returning the queryset, with each changing value written as
`Slot("name", field)`. On the first call per database the queryset is compiled once, the
compiler kept (its column list and how rows become model instances); each call then copies the
compiler, gives it this thread's connection and the SQL with the values in place, and lets
Django's own iterable build the instances, so `select_related`, `only`, converters and the
query log behave exactly as for the plain queryset. Values are prepared for the database by the
slot's field, as a lookup would prepare them.

Only for querysets whose SQL does not depend on the values (no `__in` lists, no `None`
compared): a slot is always one placeholder.
"""

import copy
import weakref
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.query import ValuesListIterable


class _Value:
    """Stands in the compiled parameters for the value of one slot."""

    __slots__ = ("field", "name")

    def __init__(self, name: str, field: models.Field):
        self.name, self.field = name, field

    def bind(self, values: dict, connection):
        return self.field.get_db_prep_value(values[self.name], connection, prepared=False)


class Slot(models.Expression):
    """A value given when a prepared queryset runs (`Prepared.__call__`'s keyword `name`)."""

    def __init__(self, name: str, output_field: models.Field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Value(self.name, self.output_field)]


class Prepared:
    """`Prepared(lambda: Model.objects.filter(slug=Slot("slug", models.CharField())))`, then
    `prepared(slug="...")` → the list the queryset would give for that value."""

    def __init__(self, build: Callable[[], models.QuerySet]):
        self.build = build
        self._model = None
        self._compiled: dict[str, tuple] = {}
        # How each column's value becomes Python (Django works it out per run: a third of a
        # story's stored-list query), per connection, as its operations write them.
        self._converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _compile(self, using: str) -> tuple:
        entry = self._compiled.get(using)
        if entry is None:
            queryset = self.build().using(using)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            entry = self._compiled[using] = (queryset, compiler, sql, tuple(params))
        return entry

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        return self._compile(using)[2]

    def _using(self, using: str | None) -> str:
        """Where the plain queryset would read (the routers: a reader request's replica)."""
        if using is None:
            if self._model is None:
                self._model = self.build().model
            using = router.db_for_read(self._model)
        return using

    def _converters_for(self, connection, compiler) -> dict:
        converters = self._converters.get(connection)
        if converters is None:
            columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
            converters = self._converters[connection] = compiler.get_converters(columns)
        return converters

    def __call__(self, using: str | None = None, **values) -> list:
        queryset, compiler, sql, params = self._compile(self._using(using))
        connection = connections[queryset.db]  # this thread's: the compiler's may be another's
        bound = [p.bind(values, connection) if isinstance(p, _Value) else p for p in params]
        run = copy.copy(compiler)
        run.connection = connection
        run.as_sql = lambda *args, **kwargs: (sql, bound)
        converters = self._converters_for(connection, run)
        run.get_converters = lambda expressions: converters
        chained = queryset._chain()
        chained.query.get_compiler = lambda *args, **kwargs: run
        return list(chained)

    def rows(
        self, using: str | None = None, converted: bool | tuple[int, ...] = True, **values
    ) -> list[tuple]:
        """For a `values_list()` queryset: the tuples it would give, each column converted as
        Django converts it, read with one cursor and without the queryset's iterable (for the
        stored «Більше подібного» list, eight short rows, that machinery cost more than the
        query). The query log and the execute wrappers see it as any other query.
        `converted=False`: the values as the database driver gives them (a key compared only
        with keys read the same way: a date as SQLite's text, say, not parsed); a tuple of
        column positions: only those converted."""
        queryset, compiler, sql, params = self._compile(self._using(using))
        annotations = list(queryset.query.annotation_select)
        if (
            queryset._iterable_class is not ValuesListIterable
            or queryset.query.extra_select
            or (annotations and list(queryset._fields[-len(annotations) :]) != annotations)
        ):
            # the columns come as selected: the model's fields, then the annotations
            raise TypeError("Prepared.rows() reads a values_list() of fields, annotations last")
        connection = connections[queryset.db]
        bound = [p.bind(values, connection) if isinstance(p, _Value) else p for p in params]
        converters = list(self._converters_for(connection, compiler).items())
        if converted is not True:
            converters = [c for c in converters if converted and c[0] in converted]
        width = compiler.col_count
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            fetched = cursor.fetchall()
        if not converters:
            return [tuple(row[:width]) for row in fetched]
        converted = []
        for row in fetched:
            row = list(row[:width])
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted
