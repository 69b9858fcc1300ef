//! How long opening a backup takes with its key-derivation settings: the default next to the vault's
//! cost (64 MiB, 3 passes) and to the foreign formats' KDFs we have to run on import; and what an
//! automatic backup adds to a change of a 100-account vault (issue 15's target: at most 50 ms), as a
//! save with automatic backups on next to the same save with them off.
//!
//! `cargo bench -p tessera-core --bench backup`

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;
use tessera_core::backup::auto::AutoBackupConfig;
use tessera_core::backup::container::{self, BackupKdf};
use tessera_core::otp::OtpParams;
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, NewAccount, Password, Vault,
};
use tessera_core::Secret;

const BACKUP_PASSWORD: &str = "plinth mango ferry cobalt";

/// A vault of `n` accounts with a cheap KDF (only saves are measured, never an unlock).
fn vault_with(dir: &std::path::Path, n: usize) -> Vault {
    let options = CreateOptions {
        password: Some(Password::new("a reasonably long vault password")),
        use_keychain: false,
        kdf: KdfParams::insecure_for_tests(),
    };
    let mut vault = Vault::create(&dir.join("vault.tessera"), options).unwrap();
    for i in 0..n {
        let new = NewAccount {
            issuer: format!("Service {i}"),
            account: format!("clinician{i}@example.nhs.uk"),
            environment: if i % 2 == 0 {
                Environment::Live
            } else {
                Environment::Sandpit
            },
            secret: Secret::from_bytes(format!("benchmark secret key {i:08}").into_bytes())
                .unwrap(),
            params: OtpParams::totp(),
            note: "a short note".into(),
        };
        vault.add(new, DuplicatePolicy::Refuse).unwrap();
    }
    vault
}

fn automatic_backup_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("save_100_accounts");
    group.sample_size(30);
    let dir = tempfile::tempdir().unwrap();
    let mut plain = vault_with(&dir.path().join("off").tap_mkdir(), 100);
    group.bench_function("automatic_backups_off", |b| {
        b.iter(|| plain.save().unwrap())
    });
    let on_dir = dir.path().join("on").tap_mkdir();
    let folder = on_dir.join("backups").tap_mkdir();
    let mut on = vault_with(&on_dir, 100);
    // The backup key is derived once, with the default (strong) cost, as when turned on.
    let config = AutoBackupConfig::new(&folder, 10, BACKUP_PASSWORD, BackupKdf::default()).unwrap();
    on.set_auto_backup(Some(config));
    group.bench_function("automatic_backups_on", |b| b.iter(|| on.save().unwrap()));
    group.finish();
    assert!(
        std::fs::read_dir(&folder).unwrap().count() <= 10,
        "retention kept the newest 10"
    );
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for std::path::PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

fn backup_kdf(c: &mut Criterion) {
    let mut group = c.benchmark_group("backup_open");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, kdf) in [
        ("default_256MiB_t3", BackupKdf::default()),
        (
            "vault_cost_64MiB_t3",
            BackupKdf {
                memory_kib: 64 * 1024,
                passes: 3,
                lanes: 1,
            },
        ),
    ] {
        let file = container::seal(b"{}", "plinth mango ferry cobalt", kdf).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| container::open(&file, "plinth mango ferry cobalt").unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, backup_kdf, automatic_backup_cost);
criterion_main!(benches);
