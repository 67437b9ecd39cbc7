// Shows each UTC time also in the viewer's own time zone, with its date
// and the zone's name: an embargo hour read in the wrong zone is a classic
// cause of early disclosure, and 00:00 UTC is the evening before in the
// Americas. A date without a time (datetime="2026-12-02") is the same day
// everywhere and gets no made-up local hour.
document.querySelectorAll("time[datetime]").forEach(function (el) {
  var v = el.getAttribute("datetime");
  if (v.indexOf("T") < 0) return;
  var d = new Date(v);
  if (isNaN(d) || d.getTimezoneOffset() === 0) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your time";
  var s = document.createElement("span");
  s.className = "local";
  s.textContent = " (" + d.toLocaleString([], {weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"}) + ", " + zone + ")";
  el.appendChild(s);
});
