// The focal point: a click on the photo sets the two percentages and moves the mark.
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const x = document.querySelector("[data-focal=x]");
  const y = document.querySelector("[data-focal=y]");
  if (!picker || !x || !y) return;
  const mark = picker.querySelector(".photos-focal__mark");
  const place = () => {
    mark.style.left = `${x.value}%`;
    mark.style.top = `${y.value}%`;
  };
  picker.querySelector("img").addEventListener("click", (event) => {
    const box = event.target.getBoundingClientRect();
    const clamp = (value) => Math.min(100, Math.max(0, Math.round(value)));
    x.value = clamp(((event.clientX - box.left) / box.width) * 100);
    y.value = clamp(((event.clientY - box.top) / box.height) * 100);
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
});
