// Scan a barcode with the phone's camera where the browser can read barcodes (BarcodeDetector);
// elsewhere the button stays hidden and the number is typed.
(function () {
  "use strict";
  var button = document.getElementById("scan-barcode");
  var input = document.getElementById("barcode");
  var video = document.getElementById("barcode-video");
  if (!button || !input || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({formats: ["ean_13", "ean_8", "upc_a", "upc_e"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.hidden = true;
      };
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stop();
            input.value = codes[0].rawValue;
            input.form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(stop);
      };
      look();
    }).catch(function () {
      button.textContent = "The camera is not available: type the number";
      button.disabled = true;
    });
  });
})();
