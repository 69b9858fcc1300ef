//! Regression tests for the security review (shared notes security-review.md): concurrent writers (#2),
//! key rotation on unlock-method changes (#3). Password slots with cheap test KDF parameters; the
//! keychain cases are in tests/keychain.rs.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tessera_core::otp::OtpParams;
use tessera_core::vault::format::{self, Header, Slot};
use tessera_core::vault::{
    atomic::backup_path, CreateOptions, DuplicatePolicy, Environment, KdfParams, NewAccount,
    Password, Unlock, Vault, VaultError,
};
use tessera_core::Secret;

fn cheap(password: &str) -> CreateOptions {
    CreateOptions {
        password: Some(password.into()),
        use_keychain: false,
        kdf: KdfParams::insecure_for_tests(),
    }
}

fn pw(p: &str) -> Unlock {
    Unlock::Password(p.into())
}

fn account(name: &str) -> NewAccount {
    NewAccount {
        issuer: "Race".into(),
        account: name.into(),
        environment: Environment::Live,
        secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
        params: OtpParams::totp(),
        note: String::new(),
    }
}

fn names(v: &Vault) -> BTreeSet<String> {
    v.accounts().iter().map(|a| a.account.clone()).collect()
}

/// #2: writers with their own `Vault` handles (as the app and a CLI command, or two commands) add at
/// the same time. Some saves may be refused (ChangedOnDisk), but every save that reported success is in
/// the final vault: none is silently overwritten.
#[test]
fn concurrent_writers_never_lose_a_reported_success() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    Vault::create(&path, cheap("race password")).unwrap();
    let saved = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            let saved = saved.clone();
            std::thread::spawn(move || {
                let mut refused = 0;
                for i in 0..12 {
                    let name = format!("t{t}-{i}");
                    let mut v = Vault::open(&path, pw("race password")).unwrap();
                    v.add(account(&name), DuplicatePolicy::Refuse).unwrap();
                    match v.save() {
                        Ok(()) => saved.lock().unwrap().push(name),
                        Err(VaultError::ChangedOnDisk { .. }) => refused += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
                refused
            })
        })
        .collect();
    let refused: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let saved = saved.lock().unwrap().clone();
    let in_vault = names(&Vault::open(&path, pw("race password")).unwrap());
    let lost: Vec<_> = saved.iter().filter(|n| !in_vault.contains(*n)).collect();
    assert!(
        lost.is_empty(),
        "{} saves reported success, {} refused, {} accounts in the vault; lost: {lost:?}",
        saved.len(),
        refused,
        in_vault.len()
    );
    assert_eq!(in_vault.len(), saved.len());
}

/// The vault key an old copy of the file gives with its password (what an attacker holding a synced or
/// stolen old copy computes), read with the format API only.
fn key_from_copy(bytes: &[u8], password: &str) -> format::Key256 {
    let (header, _) = Header::parse(bytes).unwrap();
    header
        .slots
        .iter()
        .find_map(|s| match s {
            Slot::Password(p) => p.open(password.as_bytes(), &header.vault_id).ok(),
            _ => None,
        })
        .expect("the old password opens the old copy")
}

fn body_opens_with(bytes: &[u8], key: &format::Key256) -> bool {
    let (_, header_len) = Header::parse(bytes).unwrap();
    format::open_body(bytes, header_len, key).is_ok()
}

/// #3: after a password change the vault has a new key (an old copy plus the old password decrypts no
/// later vault) and the `.bak` is re-sealed: it opens with the new password only, and still holds the
/// previous generation.
#[test]
fn password_change_rotates_the_key_and_reseals_the_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("old password 1")).unwrap();
    v.add(account("before"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();
    let old_copy = std::fs::read(&path).unwrap();
    let old_key = key_from_copy(&old_copy, "old password 1");

    v.change_password(&"old password 1".into(), "new password 2".into())
        .unwrap();
    v.save().unwrap();
    v.add(account("after"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();

    let current = std::fs::read(&path).unwrap();
    assert!(
        !body_opens_with(&current, &old_key),
        "the old copy's key decrypts the vault written after the password change"
    );
    // The .bak is the generation before "after": still readable, with the new password only.
    let bak = backup_path(&path);
    assert!(matches!(
        Vault::open(&bak, pw("old password 1")),
        Err(VaultError::WrongPassword)
    ));
    let v2 = Vault::open(&path, pw("new password 2")).unwrap();
    assert_eq!(names(&v2), ["after", "before"].map(String::from).into());
}

/// The save right after a password change: the `.bak` (the generation before the change, sealed with the
/// old key) is re-sealed under the new key in the same step.
#[test]
fn the_bak_written_by_a_password_change_opens_only_with_the_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("old password 1")).unwrap();
    v.add(account("one"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();
    v.change_password(&"old password 1".into(), "new password 2".into())
        .unwrap();
    v.save().unwrap();
    let bak = backup_path(&path);
    assert!(matches!(
        Vault::open(&bak, pw("old password 1")),
        Err(VaultError::WrongPassword)
    ));
    let from_bak = Vault::open(&bak, pw("new password 2")).unwrap();
    assert_eq!(names(&from_bak), ["one"].map(String::from).into());
    assert_mode_600(&bak);
}

/// Setting a password on a password vault (the app's "no old password asked" path) rotates too, and a
/// rotation twice before one save re-seals the disk generation correctly.
#[test]
fn two_rotations_before_a_save_still_reseal_the_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("first password")).unwrap();
    v.add(account("x"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();
    let first = key_from_copy(&std::fs::read(&path).unwrap(), "first password");
    v.set_password("second password".into(), KdfParams::insecure_for_tests())
        .unwrap();
    v.set_password(
        Password::new("third password"),
        KdfParams::insecure_for_tests(),
    )
    .unwrap();
    v.save().unwrap();
    let bak = std::fs::read(backup_path(&path)).unwrap();
    assert!(!body_opens_with(&bak, &first));
    assert!(!body_opens_with(&std::fs::read(&path).unwrap(), &first));
    assert_eq!(
        names(&Vault::open(&backup_path(&path), pw("third password")).unwrap()),
        ["x"].map(String::from).into()
    );
}

fn assert_mode_600(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// #5/#10: every export format is written owner-only, and a planted symlink at the target is refused
/// without touching what it points to.
#[cfg(unix)]
#[test]
fn exports_are_owner_only_and_never_follow_a_planted_symlink() {
    use tessera_core::export::{export_vault, ExportError, ExportFormat, ExportRequest};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("export password")).unwrap();
    v.add(account("a"), DuplicatePolicy::Refuse).unwrap();
    fn request(format: ExportFormat, out: &Path) -> ExportRequest<'_> {
        ExportRequest {
            format,
            out,
            password: Some("a long export passphrase 42"),
            include_trash: false,
            backup_kdf: Default::default(),
        }
    }
    for (format, name) in [
        (ExportFormat::Uris, "out-uris.txt"),
        (ExportFormat::Aegis, "out-aegis.json"),
        (ExportFormat::GoogleQr, "out-g.png"),
    ] {
        let out = dir.path().join(name);
        let report = export_vault(&v, request(format, &out)).unwrap();
        for f in &report.files {
            assert_mode_600(f);
        }
        assert!(matches!(
            export_vault(&v, request(format, &out)),
            Err(ExportError::Exists(_))
        ));
    }
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "IMPORTANT DATA").unwrap();
    let link = dir.path().join("planted.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    assert!(export_vault(&v, request(ExportFormat::Uris, &link)).is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "IMPORTANT DATA");
}

/// #11: the default the code uses is the one docs/vault-format.md documents (64 MiB, t = 4, p = 1).
#[test]
fn kdf_default_matches_the_documentation() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/vault-format.md"
    ))
    .unwrap();
    let d = KdfParams::default();
    let documented = format!(
        "({} MiB), t = {}, p = {}**",
        d.memory_kib / 1024,
        d.iterations,
        d.parallelism
    );
    assert!(doc.contains(&documented), "docs do not say {documented}");
    assert_eq!((d.memory_kib, d.iterations, d.parallelism), (65536, 4, 1));
}

/// #4: a vault or backup demanding 4 GiB × 64 passes × 16 lanes is refused before any derivation
/// (it used to allocate 4 GiB and run for minutes, or abort when memory ran out), and so is a vault
/// with more than two password slots.
#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    use tessera_core::backup::{container, BackupKdf, ContainerError};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("hostile test")).unwrap();
    v.save().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let (mut header, header_len) = Header::parse(&bytes).unwrap();
    for slot in &mut header.slots {
        if let Slot::Password(p) = slot {
            p.kdf = KdfParams {
                memory_kib: 4 * 1024 * 1024,
                iterations: 64,
                parallelism: 16,
            };
        }
    }
    let mut hostile = header.to_bytes();
    hostile.extend_from_slice(&bytes[header_len..]);
    let hostile_path = dir.path().join("hostile.tessera");
    std::fs::write(&hostile_path, &hostile).unwrap();
    let started = std::time::Instant::now();
    let err = Vault::open(&hostile_path, pw("hostile test")).unwrap_err();
    assert!(matches!(err, VaultError::Damaged { .. }), "{err}");
    // Three password slots: refused too.
    let (mut header, header_len) = Header::parse(&bytes).unwrap();
    let slot = header.slots[0].clone();
    header.slots.push(slot.clone());
    header.slots.push(slot);
    let mut three = header.to_bytes();
    three.extend_from_slice(&bytes[header_len..]);
    assert!(Header::parse(&three).is_err());

    let mut backup = container::seal(
        b"{}",
        "a long backup passphrase",
        BackupKdf::insecure_for_tests(),
    )
    .unwrap();
    backup[10..14].copy_from_slice(&(4u32 * 1024 * 1024).to_be_bytes());
    backup[14..18].copy_from_slice(&64u32.to_be_bytes());
    backup[18..22].copy_from_slice(&16u32.to_be_bytes());
    assert!(matches!(
        container::open(&backup, "a long backup passphrase"),
        Err(ContainerError::UnsupportedKdf(_))
    ));
    let elapsed = started.elapsed();
    eprintln!("hostile vault + backup refused in {elapsed:?}");
    assert!(elapsed < std::time::Duration::from_secs(2), "{elapsed:?}");
}

/// #6: many accounts sharing one key: each same-key warning names a few accounts, not every earlier
/// one (that was quadratic in memory: 20,000 accounts took 140 s and 14 GB).
#[test]
fn same_secret_warnings_stay_small_on_big_imports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("import password")).unwrap();
    let batch: Vec<_> = (0..2000).map(|i| account(&format!("u{i}"))).collect();
    let started = std::time::Instant::now();
    let outcomes = v.add_all(batch, DuplicatePolicy::Refuse).unwrap();
    let elapsed = started.elapsed();
    eprintln!("2,000 same-key accounts added in {elapsed:?}");
    let names: usize = outcomes
        .iter()
        .flat_map(|o| &o.warnings)
        .map(|w| match w {
            tessera_core::vault::AddWarning::SameSecret { labels, .. } => labels.len(),
            _ => 0,
        })
        .sum();
    assert!(names <= 6 * 2000, "{names} names in the warnings");
    let last = outcomes.last().unwrap().warnings[0].to_string();
    assert!(last.contains("1994 more"), "{last}");
}

/// #6: one file may bring at most 10,000 entries; more is refused as a whole.
#[test]
fn imports_are_capped_per_file() {
    use tessera_core::formats::{self, FormatId, MAX_IMPORT_ENTRIES};
    let line = |i: usize| format!("otpauth://totp/I:u{i}?secret=JBSWY3DPEHPK3PXP\n");
    let ok: String = (0..MAX_IMPORT_ENTRIES).map(line).collect();
    assert_eq!(
        formats::import(FormatId::Uris, ok.as_bytes(), None)
            .unwrap()
            .entries
            .len(),
        MAX_IMPORT_ENTRIES
    );
    let too_many: String = (0..=MAX_IMPORT_ENTRIES).map(line).collect();
    let err = formats::import(FormatId::Uris, too_many.as_bytes(), None).unwrap_err();
    assert!(err.to_string().contains("at most 10000"), "{err}");
}

/// #14: a vault opened through a symlink (e.g. into a synced folder) is saved to the real file; the
/// link stays a link.
#[cfg(unix)]
#[test]
fn a_symlinked_vault_is_saved_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::create_dir(dir.path().join("linkdir")).unwrap();
    let real = dir.path().join("real/v.tessera");
    Vault::create(&real, cheap("symlink test")).unwrap();
    let link = dir.path().join("linkdir/v.tessera");
    std::os::unix::fs::symlink("../real/v.tessera", &link).unwrap();
    let mut v = Vault::open(&link, pw("symlink test")).unwrap();
    v.add(account("via link"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let through_real = Vault::open(&real, pw("symlink test")).unwrap();
    assert_eq!(names(&through_real), ["via link"].map(String::from).into());
    assert!(!dir.path().join("linkdir/v.tessera.bak").exists());
}

/// #16: revealing recovery codes checks the password against the open vault, not whatever file is at
/// its path now (a different vault whose password the caller knows used to pass the gate).
#[test]
fn recovery_reveal_checks_the_open_vault_not_the_file() {
    use tessera_core::vault::{RecoveryStoreError, StoreMode};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("owner password")).unwrap();
    let id = v.add(account("doc"), DuplicatePolicy::Refuse).unwrap().id;
    v.store_recovery_codes(
        id,
        vec!["1111 2222".into(), "3333 4444".into()],
        StoreMode::Refuse,
    )
    .unwrap();
    v.save().unwrap();
    // Someone swaps in another vault with a password they know.
    let other = dir.path().join("other.tessera");
    Vault::create(&other, cheap("attacker password")).unwrap();
    std::fs::rename(&other, &path).unwrap();
    assert!(matches!(
        v.reveal_recovery_codes(id, Some(&"attacker password".into())),
        Err(RecoveryStoreError::WrongPassword)
    ));
    assert!(v
        .reveal_recovery_codes(id, Some(&"owner password".into()))
        .is_ok());
}

/// #25: a decrypted vault body that does not fit the model is reported by position, without quoting
/// the decrypted value (it used to say `invalid type: string "JBSWY3DP…"`).
#[test]
fn unreadable_decrypted_content_is_not_quoted_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    Vault::create(&path, cheap("quote test")).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let key = key_from_copy(&bytes, "quote test");
    let (header, _) = Header::parse(&bytes).unwrap();
    let body = br#"{"version":1,"accounts":[{"params":"JBSWY3DPEHPK3PXPLEAK"}]}"#;
    std::fs::write(&path, format::seal(&header, &key, body)).unwrap();
    let err = Vault::open(&path, pw("quote test"))
        .unwrap_err()
        .to_string();
    assert!(!err.contains("JBSWY3DP"), "{err}");
    assert!(err.contains("line 1"), "{err}");
}

/// #13: an account restored from a backup with unusable previous key settings (digits 0) is refused,
/// instead of being stored and later breaking every code on the screen.
#[test]
fn restored_previous_params_are_validated() {
    use tessera_core::vault::RestoredFields;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("restore test")).unwrap();
    let bad = OtpParams {
        digits: 0,
        ..OtpParams::totp()
    };
    let restored = RestoredFields {
        id: uuid::Uuid::new_v4(),
        created_at: 1,
        previous_secret: Some(Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap().0),
        key_changed_at: Some(2),
        previous_params: Some(bad),
        recovery: Default::default(),
    };
    let err = v
        .add_restored(account("r"), Some(restored), DuplicatePolicy::Refuse)
        .unwrap_err();
    assert!(err.to_string().contains("previous key"), "{err}");
    assert!(v.accounts().is_empty());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// #21: an image whose header claims more than 40 megapixels is refused before decoding (a 261 KB
/// 16,384² PNG once took 1.6 GB and 8.6 s in the QR pipeline).
#[test]
fn giant_images_are_refused_before_decoding() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&16_000u32.to_be_bytes());
    ihdr.extend_from_slice(&16_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    for chunk in [&b"IDAT"[..], &b"IEND"[..]] {
        png.extend_from_slice(&0u32.to_be_bytes());
        png.extend_from_slice(chunk);
        png.extend_from_slice(&crc32(chunk).to_be_bytes());
    }
    let started = std::time::Instant::now();
    let err = tessera_core::qr::load_image_bytes(&png).unwrap_err();
    assert!(
        matches!(err, tessera_core::qr::QrError::TooLarge(_)),
        "{err}"
    );
    assert!(err.to_string().contains("megapixels"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

/// #29: an unknown key-derivation id in a backup is named as such, not as "newer version 1".
#[test]
fn unknown_backup_kdf_is_reported_precisely() {
    use tessera_core::backup::{container, BackupKdf, ContainerError};
    let mut backup = container::seal(
        b"{}",
        "a long backup passphrase",
        BackupKdf::insecure_for_tests(),
    )
    .unwrap();
    backup[9] = 7;
    let err = container::open(&backup, "a long backup passphrase").unwrap_err();
    assert_eq!(err, ContainerError::UnknownKdf(7));
    assert!(err.to_string().contains("key derivation"), "{err}");
}

/// #29: a vault whose only slot has an unknown kind (e.g. a flipped kind byte) says so, instead of
/// "this vault has no password; it opens only with the system keychain".
#[test]
fn a_vault_without_usable_slots_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    Vault::create(&path, cheap("slot test")).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes[29], 2, "the first slot's kind byte");
    bytes[29] = 9;
    std::fs::write(&path, &bytes).unwrap();
    let err = Vault::open(&path, pw("slot test")).unwrap_err().to_string();
    assert!(err.contains("no password or keychain slot"), "{err}");
}

/// #12: a header the writer cannot represent (256 slots) is refused instead of written with a wrapped
/// slot count (which made the vault unreadable).
#[test]
fn oversized_headers_are_refused_not_wrapped() {
    let slots: Vec<Slot> = (0..256)
        .map(|_| Slot::Unknown {
            kind: 9,
            payload: vec![0; 4],
        })
        .collect();
    let header = Header::new(uuid::Uuid::new_v4(), slots);
    assert!(header.check_sizes().is_err());
    let header = Header::new(
        uuid::Uuid::new_v4(),
        vec![Slot::Unknown {
            kind: 9,
            payload: vec![0; 70_000],
        }],
    );
    assert!(header.check_sizes().is_err());
    let fine = Header::new(
        uuid::Uuid::new_v4(),
        vec![Slot::Unknown {
            kind: 9,
            payload: vec![0; 100],
        }],
    );
    fine.check_sizes().unwrap();
    assert_eq!(Header::parse(&fine.to_bytes()).unwrap().0, fine);
}

/// Issue 14 (trash on shared PCs): a key deleted for good is, after the next save, in neither the vault
/// file nor its `.bak` — both are opened and searched, not just their (encrypted) bytes.
#[test]
fn purged_keys_leave_the_vault_and_its_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("purge password")).unwrap();
    let mut gone = account("leaver");
    gone.secret = Secret::parse_base32("KRSXG5CTMVRXEZLUKN2HE2LOM4")
        .unwrap()
        .0;
    let id = v.add(gone, DuplicatePolicy::Refuse).unwrap().id;
    v.add(account("stays"), DuplicatePolicy::Refuse).unwrap();
    v.save().unwrap();
    v.remove(id).unwrap();
    v.save().unwrap();
    assert_eq!(
        v.trash().len(),
        1,
        "deleted accounts keep their key in the trash until purged"
    );
    v.purge(id).unwrap();
    v.save().unwrap();

    let holds_the_key = |file: &Path| {
        let copy = dir.path().join("copy.tessera");
        std::fs::copy(file, &copy).unwrap();
        let opened = Vault::open(&copy, pw("purge password")).unwrap();
        let found = opened
            .accounts()
            .iter()
            .map(|a| &a.secret)
            .chain(opened.trash().iter().map(|t| &t.account.secret))
            .any(|s| s.to_base32() == "KRSXG5CTMVRXEZLUKN2HE2LOM4");
        std::fs::remove_file(&copy).unwrap();
        found
    };
    assert!(!holds_the_key(&path), "vault file");
    assert!(!holds_the_key(&backup_path(&path)), ".bak");

    // Empty trash does the same for everything in it.
    let again = v.accounts()[0].id;
    v.remove(again).unwrap();
    v.save().unwrap();
    assert_eq!(v.empty_trash(), 1);
    v.save().unwrap();
    // The .bak is a vault in its own right (same id and slots): its trash is empty too.
    let bak = Vault::open(&backup_path(&path), pw("purge password")).unwrap();
    assert!(bak.trash().is_empty());
}

/// Accounts older than TRASH_KEEP_DAYS in the trash are purged by any save.
#[test]
fn old_trash_is_purged_automatically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("purge password")).unwrap();
    let id = v.add(account("old"), DuplicatePolicy::Refuse).unwrap().id;
    v.remove(id).unwrap();
    let now = tessera_core::time::now_unix();
    assert_eq!(
        v.purge_trash_older_than(tessera_core::vault::TRASH_KEEP_DAYS, now),
        0,
        "just deleted"
    );
    assert_eq!(
        v.purge_trash_older_than(tessera_core::vault::TRASH_KEEP_DAYS, now + 31 * 86_400),
        1
    );
    v.save().unwrap();
    assert!(Vault::open(&path, pw("purge password"))
        .unwrap()
        .trash()
        .is_empty());
}

/// How long the trash keeps accounts is the vault's own setting (the CLI and the app purge alike):
/// kept across saves, limited to a day to a year, and what the save's purge uses.
#[test]
fn the_trash_keeps_accounts_as_long_as_the_vault_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let mut v = Vault::create(&path, cheap("purge password")).unwrap();
    assert_eq!(
        u64::from(v.trash_keep_days()),
        tessera_core::vault::TRASH_KEEP_DAYS
    );
    for bad in [0, 366] {
        let err = v.set_trash_keep_days(bad).unwrap_err().to_string();
        assert!(err.contains("1 to 365 days"), "{err}");
    }
    v.set_trash_keep_days(7).unwrap();
    let id = v.add(account("week"), DuplicatePolicy::Refuse).unwrap().id;
    v.remove(id).unwrap();
    v.save().unwrap();
    let mut v = Vault::open(&path, pw("purge password")).unwrap();
    assert_eq!(v.trash_keep_days(), 7);
    assert_eq!(v.trash().len(), 1, "deleted today: still in the trash");
    let now = tessera_core::time::now_unix();
    let days = u64::from(v.trash_keep_days());
    assert_eq!(v.purge_trash_older_than(days, now + 6 * 86_400), 0);
    assert_eq!(v.purge_trash_older_than(days, now + 8 * 86_400), 1);
}
