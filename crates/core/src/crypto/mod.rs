pub mod secretstream;
pub mod argon;
