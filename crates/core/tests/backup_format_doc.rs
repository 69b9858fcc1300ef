//! An independent decryptor written only from docs/backup-format.md (it does not call Tessera's backup
//! code), run against a backup written by Tessera: if the document and the code disagree, this fails.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use tessera_core::backup::{container, seal_content, BackupContent, BackupKdf};

fn decrypt_per_document(file: &[u8], password: &str) -> Result<Vec<u8>, &'static str> {
    if file.len() < 82 + 16 || &file[..8] != b"TSRBAK\r\n" {
        return Err("not a backup or cut short");
    }
    if file[8] != 1 || file[9] != 1 {
        return Err("unknown version or KDF");
    }
    let be = |at: usize| u32::from_be_bytes(file[at..at + 4].try_into().unwrap());
    let (m, t, p) = (be(10), be(14), be(18));
    let salt = &file[22..38];
    let check = &file[38..70];
    let nonce = &file[70..82];
    let params = argon2::Params::new(m, t, p, Some(64)).map_err(|_| "bad parameters")?;
    let mut k = [0u8; 64];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut k)
        .map_err(|_| "argon2")?;
    let expected: [u8; 32] = Sha256::new()
        .chain_update(b"tessera-backup-check")
        .chain_update(&k[32..])
        .finalize()
        .into();
    if expected[..] != check[..] {
        return Err("wrong password");
    }
    Aes256Gcm::new_from_slice(&k[..32])
        .unwrap()
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: &file[82..],
                aad: &file[..82],
            },
        )
        .map_err(|_| "damaged")
}

#[test]
fn document_describes_the_bytes_tessera_writes() {
    let content = BackupContent {
        format: "tessera-backup".into(),
        version: 1,
        created_at: 1_795_300_000,
        accounts: Vec::new(),
        trash: Vec::new(),
    };
    let kdf = BackupKdf {
        memory_kib: 1024,
        passes: 2,
        lanes: 1,
    };
    let file = seal_content(&content, "plinth mango ferry cobalt", kdf).unwrap();
    assert_eq!(container::read_header(&file).unwrap().kdf, kdf);
    let plain = decrypt_per_document(&file, "plinth mango ferry cobalt").unwrap();
    let json: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(json["format"], "tessera-backup");
    assert_eq!(json["version"], 1);
    assert_eq!(json["created_at"], 1_795_300_000u64);
    assert!(json["accounts"].as_array().unwrap().is_empty());
    assert!(
        json.get("trash").is_none(),
        "trash is absent unless asked for"
    );
    assert_eq!(
        decrypt_per_document(&file, "wrong").unwrap_err(),
        "wrong password"
    );
    assert!(BackupKdf::default().memory_kib == 256 * 1024 && BackupKdf::default().passes == 3);
}
