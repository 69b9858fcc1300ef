//! Vault speed with 1,000 accounts: open + unlock + decrypt + one code per account (password and
//! keychain unlock separately), a save, and the password KDF alone.
//!
//! `cargo bench -p tessera-core --bench vault`. The keychain case runs only where a Secret Service is
//! usable, e.g. inside `dbus-run-session` with an unlocked gnome-keyring (see docs/vault-format.md).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use tessera_core::otp::{Algorithm, OtpParams};
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, Keychain, NewAccount, Unlock, Vault,
};
use tessera_core::Secret;

const ACCOUNTS: usize = 1000;
const PASSWORD: &str = "a reasonably long vault password";

fn fill(vault: &mut Vault) {
    for i in 0..ACCOUNTS {
        let env = match i % 3 {
            0 => Environment::Live,
            1 => Environment::Sandpit,
            _ => Environment::None,
        };
        let params = OtpParams {
            algorithm: [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][i % 3],
            ..OtpParams::totp()
        };
        let secret =
            Secret::from_bytes(format!("benchmark secret key {i:08}").into_bytes()).unwrap();
        vault
            .add(
                NewAccount {
                    issuer: format!("Service {}", i / 2),
                    account: format!("clinician{i}@example.nhs.uk"),
                    environment: env,
                    secret,
                    params,
                    note: "a short note about this account".into(),
                },
                DuplicatePolicy::Refuse,
            )
            .unwrap();
    }
}

fn open_and_generate(path: &Path, unlock: Unlock) -> usize {
    let vault = Vault::open(path, unlock).unwrap();
    let now = tessera_core::time::now_unix();
    let mut total = 0;
    for a in vault.accounts() {
        total += a.to_entry().generator().unwrap().code_at(now).value.len();
    }
    total
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.tessera");
    let mut vault = Vault::create(
        &path,
        CreateOptions {
            password: Some(PASSWORD.into()),
            use_keychain: false,
            kdf: KdfParams::default(),
        },
    )
    .unwrap();
    fill(&mut vault);
    vault.save().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "vault file with {ACCOUNTS} accounts: {size} bytes ({:.1} KiB)",
        size as f64 / 1024.0
    );

    let mut group = c.benchmark_group("vault_1000");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("kdf_default_argon2id", |b| {
        let kdf = KdfParams::default();
        b.iter(|| black_box(kdf.derive(PASSWORD.as_bytes(), &[7u8; 32]).unwrap()))
    });
    group.bench_function("open_password_decrypt_all_codes", |b| {
        b.iter(|| black_box(open_and_generate(&path, Unlock::Password(PASSWORD.into()))))
    });
    group.bench_function("save", |b| b.iter(|| vault.save().unwrap()));

    // The same file without the KDF cost: what decryption, parsing and 1,000 codes take on their own.
    let cheap_path = dir.path().join("bench-cheap.tessera");
    let mut cheap = Vault::create(
        &cheap_path,
        CreateOptions {
            password: Some(PASSWORD.into()),
            use_keychain: false,
            kdf: KdfParams::insecure_for_tests(),
        },
    )
    .unwrap();
    fill(&mut cheap);
    cheap.save().unwrap();
    group.bench_function("open_cheap_kdf_decrypt_all_codes", |b| {
        b.iter(|| {
            black_box(open_and_generate(
                &cheap_path,
                Unlock::Password(PASSWORD.into()),
            ))
        })
    });

    // Keychain unlock: only where a Secret Service is usable.
    let kc_path = dir.path().join("bench-keychain.tessera");
    match Vault::create(
        &kc_path,
        CreateOptions {
            password: None,
            use_keychain: true,
            kdf: KdfParams::default(),
        },
    ) {
        Ok(mut kc_vault) => {
            fill(&mut kc_vault);
            kc_vault.save().unwrap();
            group.bench_function("open_keychain_decrypt_all_codes", |b| {
                b.iter(|| black_box(open_and_generate(&kc_path, Unlock::Keychain)))
            });
            let _ = Keychain::system().delete_key(&kc_vault.info().keychain_user());
        }
        Err(e) => eprintln!("skipping keychain unlock benchmark: {e}"),
    }
    group.finish();
}

criterion_group!(vault, benches);
criterion_main!(vault);
