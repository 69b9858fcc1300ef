//! Google Authenticator export payloads: `otpauth-migration://offline?data=…` (protobuf, Base64).
