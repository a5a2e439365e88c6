// Swagger UI over /openapi. The document itself needs a key (only health is anonymous), so the
// page asks for one, keeps it in this tab's sessionStorage and adds it to every request it sends.
(function () {
  var storageKey = "medmaas-api-key";
  function load() {
    var key = sessionStorage.getItem(storageKey);
    if (!key) {
      return;
    }
    window.ui = SwaggerUIBundle({
      url: "/openapi",
      dom_id: "#swagger-ui",
      requestInterceptor: function (request) {
        request.headers.Authorization = "Bearer " + sessionStorage.getItem(storageKey);
        return request;
      }
    });
  }
  document.getElementById("key-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(storageKey, document.getElementById("key").value.trim());
    load();
  });
  load();
})();
