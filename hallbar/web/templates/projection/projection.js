// The projection form: "Årlig tillväxt" only drives demand when demand is "growth", so the
// field is enabled only then (the server renders it the same way; without JavaScript the
// choice takes effect when the form is sent). A disabled field is not sent either.
document.addEventListener("change", function (event) {
  var demand = event.target;
  if (!demand || demand.id !== "f-efterfragan") { return; }
  var growth = document.getElementById("f-tillvaxt");
  if (growth) { growth.disabled = demand.value !== "growth"; }
});
