// The invitation page's code arrives after `#` in the link (browsers never send it to a server): copy it into the
// form's field, then take it out of the address bar and the history.
(function () {
  var code = decodeURIComponent(window.location.hash.slice(1));
  var field = document.getElementById('invitation-code');
  if (code && field && !field.value) field.value = code;
  if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
})();
