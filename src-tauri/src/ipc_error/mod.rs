//! How a failed command reaches the UI: a [`ErrorKind`] the UI can act on (go to the lock screen,
//! offer a reload, say nothing after a cancel) and the sentence it shows, which is the core's own.
//!
//! The kind is decided by the error's *type and variant* (`from_core.rs`), never by reading the
//! sentence, so rewording a message cannot change what the UI does.

pub mod from_core;

use serde::Serialize;
use std::fmt;

/// What the UI needs to do differently about a failure. Deliberately small: a new kind is only worth
/// adding when some screen acts on it; everything else is [`ErrorKind::Other`] and shows its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The vault is locked (by the person, the idle deadline or the OS): the UI goes to the lock screen.
    Locked,
    /// The app password (or PIN) was wrong: the password field is cleared and focused again.
    WrongPassword,
    /// Another Tessera window or the CLI saved the vault after it was read here; nothing was saved. The
    /// UI reads the vault again so the person can repeat the change on what is there now.
    ChangedOnDisk,
    /// The organisation's policy does not allow this (or its file is broken): no retry will help.
    Policy,
    /// The system keychain is missing, locked, refused or holds no fitting key: offer the password.
    KeychainUnavailable,
    /// Another account already has these names and this environment: offer replace / keep both.
    Conflict,
    /// What the person typed or chose cannot be used; they can correct it and try again.
    BadInput,
    /// The work was cancelled (the app is shutting down): nothing to show.
    Cancelled,
    /// Anything else: the sentence says what happened and what to do.
    Other,
}

/// A failed command as it crosses IPC: `{ "kind": "locked", "message": "Tessera is locked; …" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub kind: ErrorKind,
    /// The sentence to show, worded by the core (tests and the CLI rely on the same words).
    pub message: String,
}

impl IpcError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> IpcError {
        IpcError {
            kind,
            message: message.into(),
        }
    }

    /// A sentence the shell words itself about what the person typed or chose.
    pub fn bad_input(message: impl Into<String>) -> IpcError {
        IpcError::new(ErrorKind::BadInput, message)
    }

    /// The same error with its sentence reworded (e.g. the file's name put in front); the kind stays.
    pub fn map_message(mut self, f: impl FnOnce(String) -> String) -> IpcError {
        self.message = f(self.message);
        self
    }
}

impl IpcError {
    /// The same error with part of its sentence reworded for the window (a CLI flag named as the
    /// control that does the same); the kind stays.
    pub fn replace(self, from: &str, to: &str) -> IpcError {
        self.map_message(|m| m.replace(from, to))
    }
}

impl fmt::Display for IpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}

/// A sentence the shell words itself ("type your app password", "choose a file to import first"):
/// nothing the UI acts on beyond showing it.
impl From<String> for IpcError {
    fn from(message: String) -> IpcError {
        IpcError::new(ErrorKind::Other, message)
    }
}

impl From<&str> for IpcError {
    fn from(message: &str) -> IpcError {
        IpcError::new(ErrorKind::Other, message)
    }
}

/// The vault is locked: the one value every secret-needing command refuses with (`state::LOCKED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked;

impl Locked {
    pub const SENTENCE: &'static str = "Tessera is locked; unlock it first";
}

impl fmt::Display for Locked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Locked::SENTENCE)
    }
}

impl From<Locked> for IpcError {
    fn from(_: Locked) -> IpcError {
        IpcError::new(ErrorKind::Locked, Locked::SENTENCE)
    }
}

/// Lets tests compare the sentence they received with [`Locked`] directly.
impl PartialEq<Locked> for String {
    fn eq(&self, _: &Locked) -> bool {
        self == Locked::SENTENCE
    }
}

impl PartialEq<Locked> for &str {
    fn eq(&self, _: &Locked) -> bool {
        *self == Locked::SENTENCE
    }
}
