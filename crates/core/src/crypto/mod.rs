pub mod aead;
pub mod argon;
pub mod json_error;
pub mod secretstream;
