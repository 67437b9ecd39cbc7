// Shows each UTC time also in the viewer's own time zone: an embargo hour
// read in the wrong zone is a classic cause of early disclosure.
document.querySelectorAll("time[datetime]").forEach(function (el) {
  var d = new Date(el.getAttribute("datetime"));
  if (isNaN(d) || d.getTimezoneOffset() === 0) return;
  var s = document.createElement("span");
  s.className = "local";
  s.textContent = " (" + d.toLocaleString([], {dateStyle: "medium", timeStyle: "short"}) + " your time)";
  el.appendChild(s);
});
