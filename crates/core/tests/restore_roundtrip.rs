//! Restoring a Tessera backup into a fresh vault brings accounts back as they were: ids, recovery codes
//! with their used state, the key-change date and previous key; and the shared import rules (skip,
//! replace, keep both) behave the same for every source.

use std::path::Path;
use tessera_core::backup::{self, BackupKdf, BackupOptions};
use tessera_core::formats::{self, FormatId};
use tessera_core::import::{OnDuplicate, PlannedImport};
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, NewAccount, Password, Vault,
};
use tessera_core::{OtpParams, Secret};

const PASSWORD: &str = "plinth mango ferry cobalt";

fn vault(path: &Path) -> Vault {
    Vault::create(
        path,
        CreateOptions {
            password: Some(Password::new("vault password")),
            use_keychain: false,
            kdf: KdfParams::insecure_for_tests(),
        },
    )
    .unwrap()
}

fn account(issuer: &str, env: Environment, key: u8) -> NewAccount {
    NewAccount {
        issuer: issuer.into(),
        account: "dr.who".into(),
        environment: env,
        secret: Secret::from_bytes(vec![key; 20]).unwrap(),
        params: OtpParams::totp(),
        note: format!("{issuer} note"),
    }
}

/// A vault with recovery codes (two used) on one account and a replaced key on another, backed up.
fn backed_up(dir: &Path) -> (Vault, Vec<u8>) {
    let mut v = vault(&dir.join("old.tessera"));
    let epr = v
        .add(
            account("EPR", Environment::Live, 1),
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    let mail = v
        .add(
            account("Mail", Environment::Sandpit, 2),
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    v.store_recovery_codes(
        epr,
        vec!["aaaa-1111".into(), "bbbb-2222".into(), "cccc-3333".into()],
        Default::default(),
    )
    .unwrap();
    v.use_recovery_code(epr, Some("bbbb-2222")).unwrap();
    v.use_recovery_code(epr, None).unwrap();
    v.replace_key(mail, Secret::from_bytes(vec![3; 20]).unwrap(), None)
        .unwrap();
    let bytes = backup::seal_vault(
        &v,
        PASSWORD,
        BackupOptions {
            include_trash: false,
            kdf: BackupKdf::insecure_for_tests(),
        },
    )
    .unwrap();
    (v, bytes)
}

fn plan(bytes: &[u8], on_duplicate: OnDuplicate) -> Vec<PlannedImport> {
    formats::import(FormatId::Tessera, bytes, Some(PASSWORD))
        .unwrap()
        .entries
        .into_iter()
        .map(|e| PlannedImport::suggested(e, on_duplicate))
        .collect()
}

#[test]
fn restore_keeps_ids_recovery_codes_and_key_history() {
    let dir = tempfile::tempdir().unwrap();
    let (old, bytes) = backed_up(dir.path());

    let mut fresh = vault(&dir.join_path("new.tessera"));
    let counts = fresh.apply_import(plan(&bytes, OnDuplicate::Skip)).unwrap();
    assert_eq!((counts.added, counts.replaced, counts.skipped), (2, 0, 0));
    assert_eq!(counts.recovery_codes, 3);
    fresh.save().unwrap();

    // Saved and opened again: everything came through the vault file too.
    let fresh = Vault::open(
        &dir.join_path("new.tessera"),
        tessera_core::vault::Unlock::Password(Password::new("vault password")),
    )
    .unwrap();
    for (a, b) in old.accounts().iter().zip(fresh.accounts()) {
        assert_eq!(a.id, b.id, "{}", a.label());
        assert_eq!(a.environment, b.environment);
        assert_eq!(a.note, b.note);
        assert_eq!(a.created_at, b.created_at);
        assert_eq!(a.key_changed_at, b.key_changed_at);
        assert_eq!(a.previous_secret, b.previous_secret);
        assert_eq!(a.recovery, b.recovery);
    }
    let epr = &fresh.accounts()[0];
    assert_eq!(
        (epr.recovery.total(), epr.recovery.remaining()),
        (3, 1),
        "used state kept"
    );
    let used: Vec<bool> = epr.recovery.codes.iter().map(|c| c.is_used()).collect();
    assert_eq!(used, vec![true, true, false]);
    let mail = &fresh.accounts()[1];
    assert!(mail.key_changed_at.is_some() && mail.previous_secret.is_some());
}

#[test]
fn restore_into_the_same_vault_follows_the_duplicate_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, bytes) = backed_up(dir.path());
    let before: Vec<_> = v.accounts().iter().map(|a| a.id).collect();

    // Skip: nothing changes.
    let counts = v.apply_import(plan(&bytes, OnDuplicate::Skip)).unwrap();
    assert_eq!(
        (counts.added, counts.skipped, counts.skipped_duplicates),
        (0, 2, 2)
    );
    assert_eq!(v.accounts().len(), 2);

    // Keep both: the ids are taken, so the copies get new ones (and a " (2)" name); codes still come.
    let counts = v.apply_import(plan(&bytes, OnDuplicate::KeepBoth)).unwrap();
    assert_eq!(counts.added, 2);
    assert_eq!(v.accounts().len(), 4);
    let copy = v
        .accounts()
        .iter()
        .find(|a| a.account == "dr.who (2)" && a.issuer == "EPR")
        .unwrap();
    assert!(!before.contains(&copy.id));
    assert_eq!(copy.recovery.remaining(), 1);

    // Replace: the old ones go to the trash, the restored ones take their place.
    let counts = v.apply_import(plan(&bytes, OnDuplicate::Replace)).unwrap();
    assert_eq!((counts.added, counts.replaced), (0, 2));
    assert_eq!(v.accounts().len(), 4);
    assert_eq!(v.trash().len(), 2);
}

#[test]
fn an_unticked_entry_is_skipped_and_a_failed_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_old, bytes) = backed_up(dir.path());
    let mut fresh = vault(&dir.join_path("new.tessera"));
    let mut p = plan(&bytes, OnDuplicate::Skip);
    p[1].import = false;
    let counts = fresh.apply_import(p).unwrap();
    assert_eq!((counts.added, counts.skipped), (1, 1));

    // An entry the vault refuses (impossible digits) rolls back the ones added before it.
    let mut p = plan(&bytes, OnDuplicate::KeepBoth);
    p[1].entry.entry.params.digits = 3;
    let before = fresh.accounts().len();
    assert!(fresh.apply_import(p).is_err());
    assert_eq!(fresh.accounts().len(), before);
}

trait JoinPath {
    fn join_path(&self, name: &str) -> std::path::PathBuf;
}
impl JoinPath for tempfile::TempDir {
    fn join_path(&self, name: &str) -> std::path::PathBuf {
        self.path().join(name)
    }
}
