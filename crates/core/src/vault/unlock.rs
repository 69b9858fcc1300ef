//! Opening a vault: reading its clear header (`inspect`), creating one, and unlocking it with the
//! password or the system keychain. (Included from `store.rs` as a child module.)

use super::*;

pub(super) fn map_format_error(path: &Path, e: FormatError) -> VaultError {
    match e {
        FormatError::NotAVault => VaultError::NotAVault {
            path: path.to_path_buf(),
        },
        FormatError::NewerVersion(v) => VaultError::NewerVersion {
            path: path.to_path_buf(),
            version: v.into(),
        },
        FormatError::Authentication => VaultError::Damaged {
            path: path.to_path_buf(),
            detail: "the contents failed authentication: the file was truncated or changed".into(),
        },
        other => VaultError::Damaged {
            path: path.to_path_buf(),
            detail: other.to_string(),
        },
    }
}

pub(super) fn read_vault_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::NotFound {
                path: path.to_path_buf(),
            })
        }
        Ok(m) if m.is_dir() => {
            return Err(VaultError::IsDirectory {
                path: path.to_path_buf(),
            })
        }
        _ => {}
    }
    std::fs::read(path).map_err(|source| VaultError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })
}

impl Vault {
    /// Reads the clear header: which unlock methods the vault has. No password or keychain needed.
    pub fn inspect(path: &Path) -> Result<VaultInfo, VaultError> {
        let bytes = read_vault_file(path)?;
        let (header, _) = Header::parse(&bytes).map_err(|e| map_format_error(path, e))?;
        Ok(info_from(path, &header))
    }

    /// Creates a new, empty vault at `path` (and its directory). Refuses to overwrite an existing file.
    /// The keychain is tried first, so when it fails no time was spent deriving the password key.
    pub fn create(path: &Path, options: CreateOptions) -> Result<Vault, VaultError> {
        if path.is_dir() {
            return Err(VaultError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        if path.exists() {
            return Err(VaultError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        if options.password.is_none() && !options.use_keychain {
            return Err(VaultError::NoUnlockMethod);
        }
        if options.password.as_ref().is_some_and(|p| p.is_empty()) {
            return Err(VaultError::EmptyPassword);
        }
        options
            .kdf
            .validate()
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(|source| VaultError::Io {
                action: "create the directory",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut vault = Vault {
            path: path.to_path_buf(),
            id: Uuid::new_v4(),
            key: Key256::random(),
            slots: Vec::new(),
            body: Body {
                version: BODY_VERSION,
                ..Body::default()
            },
            keychain: Keychain::system(),
            delete_keychain_item_after_save: false,
            unsaved_keychain_item: None,
            disk_digest: None,
            password_slot_key: None,
            keychain_slot_key: None,
            sealed_with: None,
            forget_previous: false,
        };
        if options.use_keychain {
            vault.store_keychain_slot(options.password.is_some())?;
        }
        if let Some(password) = &options.password {
            vault.set_password(password.clone(), options.kdf)?;
        }
        if let Err(e) = vault.save() {
            if options.use_keychain {
                if let Some(user) = vault.unsaved_keychain_item.take() {
                    let _ = vault.keychain.delete_key(&user);
                }
            }
            return Err(e);
        }
        Ok(vault)
    }

    /// Opens and decrypts the vault at `path`. The file is only read, never changed.
    pub fn open(path: &Path, unlock: Unlock) -> Result<Vault, VaultError> {
        // A symlinked vault (e.g. into a synced folder) is saved beside its target (review #14).
        let path = &atomic::resolve_symlink(path);
        let bytes = read_vault_file(path)?;
        let (header, header_len) = Header::parse(&bytes).map_err(|e| map_format_error(path, e))?;
        if !header
            .slots
            .iter()
            .any(|s| matches!(s, Slot::Password(_) | Slot::Keychain(_)))
        {
            // Precise (review #29): not "this vault has no password" when it has no usable slot at all.
            return Err(VaultError::Damaged {
                path: path.to_path_buf(),
                detail: "it has no password or keychain slot this version of Tessera can use"
                    .into(),
            });
        }
        let keychain = Keychain::system();
        let (key, slot_key) = unlock_key(&header, &unlock, &keychain)?;
        let mut vault = Vault::decrypt(path, &bytes, header, header_len, key, keychain)?;
        match unlock {
            Unlock::Password(_) => vault.password_slot_key = Some(slot_key),
            Unlock::Keychain => vault.keychain_slot_key = Some(slot_key),
        }
        Ok(vault)
    }

    /// The vault in `bytes` (the file at `path`, just read; its header already parsed) opened with its
    /// vault `key`, however that key was unwrapped (password, keychain, PIN): the body decrypted and
    /// checked (readable, not from a newer Tessera) and the accounts in their stored order. The slot
    /// keys that let it save are the caller's to set.
    pub(super) fn decrypt(
        path: &Path,
        bytes: &[u8],
        header: Header,
        header_len: usize,
        key: Key256,
        keychain: Keychain,
    ) -> Result<Vault, VaultError> {
        let plain =
            format::open_body(bytes, header_len, &key).map_err(|e| map_format_error(path, e))?;
        let body: Body = serde_json::from_slice(&plain).map_err(|e| VaultError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "the decrypted contents are unreadable: {}",
                crate::crypto::json_error::describe(&e)
            ),
        })?;
        drop(plain);
        if body.version > BODY_VERSION {
            return Err(VaultError::NewerVersion {
                path: path.to_path_buf(),
                version: body.version,
            });
        }
        let mut vault = Vault {
            path: path.to_path_buf(),
            id: header.vault_id,
            key,
            slots: header.slots,
            body,
            keychain,
            delete_keychain_item_after_save: false,
            unsaved_keychain_item: None,
            disk_digest: Some(digest(bytes)),
            password_slot_key: None,
            keychain_slot_key: None,
            sealed_with: None,
            forget_previous: false,
        };
        // Stable: equal positions (e.g. from a file edited elsewhere) keep their stored order.
        vault.body.accounts.sort_by_key(|a| a.position);
        vault.renumber();
        Ok(vault)
    }
}

pub(super) fn info_from(path: &Path, header: &Header) -> VaultInfo {
    VaultInfo {
        path: path.to_path_buf(),
        id: header.vault_id,
        format_version: header.version,
        has_keychain: header.slots.iter().any(|s| matches!(s, Slot::Keychain(_))),
        has_password: header.slots.iter().any(|s| matches!(s, Slot::Password(_))),
        kdf: header.slots.iter().find_map(|s| match s {
            Slot::Password(p) => Some(p.kdf),
            _ => None,
        }),
        keychain_item_user: header.slots.iter().find_map(|s| match s {
            Slot::Keychain(k) => Some(k.user(&header.vault_id)),
            _ => None,
        }),
    }
}

/// The vault key and the slot key that unwrapped it (kept so the vault key can be rotated later).
pub(super) fn unlock_key(
    header: &Header,
    unlock: &Unlock,
    keychain: &Keychain,
) -> Result<(Key256, Key256), VaultError> {
    let has_password = header.slots.iter().any(|s| matches!(s, Slot::Password(_)));
    match unlock {
        Unlock::Keychain => {
            let slot = header
                .slots
                .iter()
                .find_map(|s| match s {
                    Slot::Keychain(k) => Some(k),
                    _ => None,
                })
                .ok_or(VaultError::NoKeychainSlot)?;
            let kc_key = keychain
                .load_key(&slot.user(&header.vault_id))
                .map_err(|source| VaultError::Keychain {
                    source,
                    has_password,
                })?;
            let key = slot
                .open(&kc_key, &header.vault_id)
                .map_err(|_| VaultError::KeychainMismatch { has_password })?;
            Ok((key, kc_key))
        }
        Unlock::Password(password) => {
            let mut any = false;
            for slot in &header.slots {
                if let Slot::Password(p) = slot {
                    any = true;
                    match p.open_with_slot_key(password.as_str().as_bytes(), &header.vault_id) {
                        Ok(keys) => return Ok(keys),
                        Err(FormatError::Authentication) => continue,
                        Err(e) => return Err(VaultError::Kdf(e.to_string())),
                    }
                }
            }
            if any {
                Err(VaultError::WrongPassword)
            } else {
                Err(VaultError::NoPasswordSlot)
            }
        }
    }
}

pub(super) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
