pub mod secretstream;
