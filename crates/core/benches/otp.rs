//! Codes per second for prebuilt TOTP entries, next to a raw HMAC-SHA1 baseline (key setup + HMAC +
//! truncation per code, as a naive implementation does) in the same run; and URI parses per second.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, Mac};
use tessera_core::{uri, Generator, OtpParams, Secret};

const ACCOUNTS: usize = 1000;

fn secrets() -> Vec<Vec<u8>> {
    (0..ACCOUNTS)
        .map(|i| (0..20).map(|j| (i * 31 + j * 7) as u8).collect())
        .collect()
}

fn raw_hmac_sha1_code(key: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    (u32::from_be_bytes([
        hash[offset],
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]) & 0x7fff_ffff)
        % 1_000_000
}

fn codes(c: &mut Criterion) {
    let keys = secrets();
    let generators: Vec<Generator> = keys
        .iter()
        .map(|k| {
            Generator::new(&Secret::from_bytes(k.clone()).unwrap(), OtpParams::totp()).unwrap()
        })
        .collect();
    let mut group = c.benchmark_group("codes");
    group.throughput(Throughput::Elements(ACCOUNTS as u64));
    group.bench_function(BenchmarkId::new("raw_hmac_sha1_baseline", ACCOUNTS), |b| {
        b.iter(|| {
            for k in &keys {
                black_box(raw_hmac_sha1_code(k, black_box(1_700_000_000 / 30)));
            }
        })
    });
    group.bench_function(BenchmarkId::new("tessera_prebuilt_totp", ACCOUNTS), |b| {
        b.iter(|| {
            for g in &generators {
                black_box(g.code_at(black_box(1_700_000_000)));
            }
        })
    });
    group.finish();
}

fn uri_parsing(c: &mut Criterion) {
    let uris = [
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
        "otpauth://totp/NHS%20Mail:alice?secret=JBSWY3DPEHPK3PXP",
        "otpauth://hotp/Z%C3%BCrich%20Bank:m%C3%BCller?secret=jbsw-y3dp-ehpk-3pxp&counter=42&issuer=Z%C3%BCrich+Bank",
    ];
    let mut group = c.benchmark_group("uri");
    group.throughput(Throughput::Elements(uris.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for u in &uris {
                black_box(uri::parse(black_box(u)).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, codes, uri_parsing);
criterion_main!(benches);
