//! One module per `tessera` subcommand: its flags (clap) and its printing. The rules are the core's.

pub mod add;
pub mod backup;
pub mod clock;
pub mod code;
pub mod decode;
pub mod edit;
pub mod export;
pub mod import;
pub mod init;
pub mod list;
pub mod passwd;
pub mod policy;
pub mod recovery;
pub mod rekey;
pub mod remove;
pub mod uri;
pub mod vault_code;
