//! `otpauth://` Key URIs (Google Key Uri Format), parsed tolerantly and written canonically.
