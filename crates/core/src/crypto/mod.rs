pub mod secretstream;
pub mod argon;
pub mod json_error;
