//! Offline clock check (search ±10 minutes of time steps for an accepted code), a trusted-time reading,
//! and parsing a pasted block of 16 recovery codes.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tessera_core::clock::{
    offset_from_accepted_code, offset_from_trusted_time, parse_trusted_time, DEFAULT_CODE_WINDOW,
};
use tessera_core::recovery::parse_block;
use tessera_core::{Generator, OtpParams, Secret};

fn clock(c: &mut Criterion) {
    let g = Generator::new(
        &Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap(),
        OtpParams::totp(),
    )
    .unwrap();
    let true_now = 1_795_386_615u64;
    let code = g.code_at(true_now).value;
    let local = (true_now as i128 - 95) * 1_000_000_000;
    c.bench_function("accepted code, ±10 min search", |b| {
        b.iter(|| {
            offset_from_accepted_code(&g, black_box(&code), local, DEFAULT_CODE_WINDOW).unwrap()
        })
    });
    c.bench_function("trusted time parse + offset", |b| {
        b.iter(|| {
            offset_from_trusted_time(&parse_trusted_time(black_box("23:30:57")).unwrap(), local)
        })
    });
}

fn recovery(c: &mut Criterion) {
    let block: String = (0..16)
        .map(|i| format!("{}. {:04} {:04}\n", i + 1, i * 37, i * 91))
        .collect();
    c.bench_function("parse 16 recovery codes", |b| {
        b.iter(|| parse_block(black_box(&block)).unwrap())
    });
}

criterion_group!(benches, clock, recovery);
criterion_main!(benches);
