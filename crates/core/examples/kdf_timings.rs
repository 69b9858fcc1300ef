//! Prints how long each key derivation Tessera runs takes on this machine: the backup default, the
//! vault's cost, and the KDFs of the encrypted formats we import. Dependencies are built optimised even
//! in the dev profile, so `cargo run -p tessera-core --example kdf_timings` gives representative numbers
//! (the criterion version is `cargo bench -p tessera-core --bench backup`).

use std::time::Instant;
use tessera_core::backup::container::{self, BackupKdf};

fn time<F: FnMut()>(name: &str, runs: u32, mut f: F) {
    f(); // warm-up (allocates the memory once)
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    println!("{name:<58} {ms:>8.0} ms");
}

fn main() {
    let pw = "plinth mango ferry cobalt";
    for (name, kdf) in [
        (
            "Tessera backup default: Argon2id 256 MiB, t=3, p=1",
            BackupKdf::default(),
        ),
        (
            "Tessera vault default: Argon2id 64 MiB, t=3, p=1",
            BackupKdf {
                memory_kib: 64 * 1024,
                passes: 3,
                lanes: 1,
            },
        ),
    ] {
        let file = container::seal(b"{}", pw, kdf).unwrap();
        time(name, 3, || {
            container::open(&file, pw).unwrap();
        });
    }
    time("Aegis: scrypt N=2^15 r=8 p=1", 3, || {
        let params = scrypt::Params::new(15, 8, 1, 32).unwrap();
        let mut out = [0u8; 32];
        scrypt::scrypt(pw.as_bytes(), &[0u8; 32], &params, &mut out).unwrap();
    });
    time("Stratum: Argon2id 64 MiB, t=3, p=4", 3, || {
        let params = argon2::Params::new(64 * 1024, 3, 4, Some(32)).unwrap();
        let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = [0u8; 32];
        a.hash_password_into(pw.as_bytes(), &[0u8; 16], &mut out)
            .unwrap();
    });
    time("Proton: Argon2id 19 MiB, t=2, p=1", 3, || {
        let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).unwrap();
        let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = [0u8; 32];
        a.hash_password_into(pw.as_bytes(), &[0u8; 16], &mut out)
            .unwrap();
    });
    time("2FAS: PBKDF2-HMAC-SHA256, 10,000 iterations", 3, || {
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw.as_bytes(), &[0u8; 256], 10_000, &mut out);
    });
    time(
        "andOTP sample: PBKDF2-HMAC-SHA1, 145,776 iterations",
        3,
        || {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw.as_bytes(), &[0u8; 12], 145_776, &mut out);
        },
    );
}
