//! An independent decoder written only from docs/vault-format.md: its own byte parsing, then
//! `argon2` and `aes-gcm` directly. If Tessera's writer and the document drift apart, this fails.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use tessera_core::otp::OtpParams;
use tessera_core::vault::{
    CreateOptions, DuplicatePolicy, Environment, KdfParams, NewAccount, Vault,
};
use tessera_core::Secret;

fn le16(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn gcm_open(key: &[u8], nonce: &[u8], ct: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

/// Decrypts a vault file with its password, following the document step by step.
fn decode_by_the_document(file: &[u8], password: &str) -> serde_json::Value {
    // Header.
    assert_eq!(
        &file[0..8],
        &[0x54, 0x45, 0x53, 0x53, 0x45, 0x52, 0x41, 0x00],
        "magic"
    );
    assert_eq!(le16(file, 8), 1, "format version");
    let h = le16(file, 10);
    assert!(h >= 29);
    let vault_id = &file[12..28];
    let n = file[28] as usize;
    let mut at = 29;
    let mut vault_key = None;
    for _ in 0..n {
        let kind = file[at];
        let len = le16(file, at + 1);
        let payload = &file[at + 3..at + 3 + len];
        at += 3 + len;
        if kind != 2 {
            continue; // keychain or unknown slot: not usable here
        }
        assert_eq!(payload[0], 1, "Argon2id");
        let (m, t, p) = (le32(payload, 1), le32(payload, 5), le32(payload, 9));
        let s = payload[13] as usize;
        assert_eq!(len, 74 + s);
        let salt = &payload[14..14 + s];
        let nonce = &payload[14 + s..26 + s];
        let wrapped = &payload[26 + s..74 + s];
        let params = argon2::Params::new(m, t, p, Some(32)).unwrap();
        let mut slot_key = [0u8; 32];
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password_into(password.as_bytes(), salt, &mut slot_key)
            .unwrap();
        let aad = [&file[0..8], vault_id, &[2u8][..]].concat();
        if let Some(k) = gcm_open(&slot_key, nonce, wrapped, &aad) {
            vault_key = Some(k);
        }
    }
    assert_eq!(at, h, "slots end exactly at the header length");
    let vault_key = vault_key.expect("the password opens a slot");
    assert_eq!(vault_key.len(), 32);

    // Body.
    let nonce = &file[h..h + 12];
    let plain =
        gcm_open(&vault_key, nonce, &file[h + 12..], &file[..h]).expect("body authenticates");
    assert_eq!(plain.len() % 1024, 0, "padded to 1024 bytes");
    let text = std::str::from_utf8(&plain).unwrap();
    let json_end = text.trim_end_matches(' ').len();
    assert!(text[json_end..].bytes().all(|b| b == b' '));
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_vault_decrypts_with_only_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.tessera");
    let kdf = KdfParams {
        memory_kib: 256,
        iterations: 2,
        parallelism: 1,
    };
    let mut vault = Vault::create(
        &path,
        CreateOptions {
            password: Some("doc test password".into()),
            use_keychain: false,
            kdf,
        },
    )
    .unwrap();
    let live = vault
        .add(
            NewAccount {
                issuer: "NHS Mail".into(),
                account: "a.clinician@nhs.net".into(),
                environment: Environment::Live,
                secret: Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap().0,
                params: OtpParams::totp(),
                note: "note".into(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    let training = vault
        .add(
            NewAccount {
                issuer: "EPR".into(),
                account: "clinician".into(),
                environment: Environment::Custom("Training Ward".into()),
                secret: Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap().0,
                params: OtpParams::hotp(3),
                note: String::new(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    let gone = vault
        .add(
            NewAccount {
                issuer: "Old".into(),
                account: "x".into(),
                environment: Environment::None,
                secret: Secret::parse_base32("MZXW6YTBOI").unwrap().0,
                params: OtpParams::totp(),
                note: String::new(),
            },
            DuplicatePolicy::Refuse,
        )
        .unwrap()
        .id;
    vault.remove(gone).unwrap();
    vault.save().unwrap();

    let file = std::fs::read(&path).unwrap();
    let body = decode_by_the_document(&file, "doc test password");
    assert_eq!(body["version"], 1);
    let accounts = body["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    let a = &accounts[0];
    assert_eq!(a["id"], live.to_string());
    assert_eq!(a["issuer"], "NHS Mail");
    assert_eq!(a["account"], "a.clinician@nhs.net");
    assert_eq!(a["environment"], "live");
    assert_eq!(a["secret"], "JBSWY3DPEHPK3PXP");
    assert_eq!(
        a["params"],
        serde_json::json!({"kind":"totp","algorithm":"SHA1","digits":6,"period":30,"counter":0})
    );
    assert_eq!(a["note"], "note");
    assert_eq!(a["position"], 0);
    assert!(a["created_at"].as_u64().unwrap() > 1_700_000_000);
    let b = &accounts[1];
    assert_eq!(b["id"], training.to_string());
    assert_eq!(b["environment"], "Training Ward");
    assert_eq!(b["params"]["kind"], "hotp");
    assert_eq!(b["params"]["counter"], 3);
    assert_eq!(b["position"], 1);
    let trash = body["trash"].as_array().unwrap();
    assert_eq!(trash[0]["account"]["id"], gone.to_string());
    assert_eq!(trash[0]["reason"], serde_json::json!({"kind": "removed"}));

    // The password slot carries the parameters the vault was made with, as documented.
    let h = le16(&file, 10);
    assert_eq!(file[28], 1, "one slot");
    assert_eq!(
        (file[29], le16(&file, 30)),
        (2, 106),
        "password slot, 106-byte payload"
    );
    assert_eq!(
        (le32(&file, 33), le32(&file, 37), le32(&file, 41)),
        (256, 2, 1)
    );
    assert_eq!(h, 29 + 3 + 106);
}

#[test]
fn a_document_built_vault_opens_in_tessera() {
    // The other direction: write a file by the document alone, open it with Tessera.
    use rand::RngCore;
    let mut rng = rand::rngs::OsRng;
    let mut vault_key = [0u8; 32];
    rng.fill_bytes(&mut vault_key);
    let id = *uuid::Uuid::new_v4().as_bytes();
    let (m, t, p) = (64u32, 1u32, 1u32);
    let mut salt = [0u8; 32];
    rng.fill_bytes(&mut salt);
    let mut slot_key = [0u8; 32];
    argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(m, t, p, Some(32)).unwrap(),
    )
    .hash_password_into(b"hand made", &salt, &mut slot_key)
    .unwrap();
    let slot_nonce = [9u8; 12];
    let magic = b"TESSERA\0";
    let wrapped = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&slot_key))
        .encrypt(
            Nonce::from_slice(&slot_nonce),
            Payload {
                msg: &vault_key,
                aad: &[&magic[..], &id, &[2]].concat(),
            },
        )
        .unwrap();
    let mut payload = vec![1u8];
    for v in [m, t, p] {
        payload.extend_from_slice(&v.to_le_bytes());
    }
    payload.push(32);
    payload.extend_from_slice(&salt);
    payload.extend_from_slice(&slot_nonce);
    payload.extend_from_slice(&wrapped);
    let mut file = magic.to_vec();
    file.extend_from_slice(&1u16.to_le_bytes());
    let h = 29 + 3 + payload.len();
    file.extend_from_slice(&(h as u16).to_le_bytes());
    file.extend_from_slice(&id);
    file.push(1);
    file.push(2);
    file.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    file.extend_from_slice(&payload);
    let body = br#"{"version":1,"accounts":[{"id":"7a0ee6c4-6a47-4d3b-9f5a-0b3f6f0b2c11","issuer":"Hand","account":"made","environment":"SANDPIT","secret":"jbswy3dpehpk3pxp","params":{"kind":"totp","algorithm":"SHA1","digits":6,"period":30,"counter":0},"future_field":[1,2]}],"future_top":true}"#;
    let body_nonce = [3u8; 12];
    let ct = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&vault_key))
        .encrypt(
            Nonce::from_slice(&body_nonce),
            Payload {
                msg: body,
                aad: &file,
            },
        )
        .unwrap();
    file.extend_from_slice(&body_nonce);
    file.extend_from_slice(&ct);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.tessera");
    std::fs::write(&path, &file).unwrap();
    let mut vault = Vault::open(
        &path,
        tessera_core::vault::Unlock::Password("hand made".into()),
    )
    .unwrap();
    let a = &vault.accounts()[0];
    assert_eq!(
        (a.issuer.as_str(), a.environment.clone()),
        ("Hand", Environment::Sandpit)
    );
    assert_eq!(a.secret.to_base32(), "JBSWY3DPEHPK3PXP");
    // Unknown fields survive Tessera rewriting the file.
    vault.save().unwrap();
    let back = decode_by_the_document(&std::fs::read(&path).unwrap(), "hand made");
    assert_eq!(back["future_top"], true);
    assert_eq!(
        back["accounts"][0]["future_field"],
        serde_json::json!([1, 2])
    );
}
