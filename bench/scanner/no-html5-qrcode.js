// Stands in for html5-qrcode when it is not installed: the bench then measures only our decoder.
export const Html5Qrcode = null;
export const Html5QrcodeSupportedFormats = { QR_CODE: 0 };
