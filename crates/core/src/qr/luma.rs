//! A minimal 8-bit grey image and the few pixel operations the decoding passes need.
//!
//! Everything here is plain safe Rust over a `Vec<u8>`; the operations are chosen for what they do
//! to QR codes (see docs/qr.md), not for general image processing.

/// An 8-bit grey image, row-major, 0 = black.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Luma {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Luma {
    /// Wraps a buffer; `None` when the sizes do not match or the image is empty.
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Option<Luma> {
        if width == 0 || height == 0 || width.checked_mul(height)? != data.len() {
            return None;
        }
        Some(Luma {
            width,
            height,
            data,
        })
    }

    /// Grey from packed RGBA (alpha composited over white, so transparent PNG backgrounds read as
    /// paper, not as black).
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<Luma> {
        if rgba.len() != width.checked_mul(height)?.checked_mul(4)? {
            return None;
        }
        let data = rgba
            .chunks_exact(4)
            .map(|p| {
                let y = (77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128)
                    >> 8;
                let a = u32::from(p[3]);
                ((y * a + 255 * (255 - a) + 127) / 255) as u8
            })
            .collect();
        Luma::new(width, height, data)
    }

    pub fn pixels(&self) -> usize {
        self.width * self.height
    }

    #[inline]
    fn at(&self, x: usize, y: usize) -> u8 {
        self.data[y * self.width + x]
    }

    /// 2× box downscale (each output pixel is the mean of a 2×2 block).
    pub fn downscale2(&self) -> Luma {
        let w = (self.width / 2).max(1);
        let h = (self.height / 2).max(1);
        if self.width < 2 || self.height < 2 {
            return self.clone();
        }
        let mut data = Vec::with_capacity(w * h);
        for y in 0..h {
            let r0 = &self.data[2 * y * self.width..][..self.width];
            let r1 = &self.data[(2 * y + 1) * self.width..][..self.width];
            for x in 0..w {
                let s = u32::from(r0[2 * x])
                    + u32::from(r0[2 * x + 1])
                    + u32::from(r1[2 * x])
                    + u32::from(r1[2 * x + 1]);
                data.push(((s + 2) / 4) as u8);
            }
        }
        Luma {
            width: w,
            height: h,
            data,
        }
    }

    pub fn inverted(&self) -> Luma {
        Luma {
            width: self.width,
            height: self.height,
            data: self.data.iter().map(|&v| 255 - v).collect(),
        }
    }

    /// Separable Gaussian blur (edges clamped). Smooths salt-and-pepper noise and JPEG ringing that
    /// break rqrr's flood fill.
    pub fn gaussian_blur(&self, sigma: f32) -> Luma {
        let radius = (sigma * 3.0).ceil().max(1.0) as isize;
        let mut kernel: Vec<u32> = (-radius..=radius)
            .map(|i| {
                let x = i as f32 / sigma;
                ((-0.5 * x * x).exp() * 1024.0).round() as u32
            })
            .collect();
        let sum: u32 = kernel.iter().sum();
        // Normalise to a power of two so that the division is a shift.
        let scale = 1u32 << 16;
        for k in kernel.iter_mut() {
            *k = (*k * scale + sum / 2) / sum;
        }
        let (w, h) = (self.width as isize, self.height as isize);
        let mut tmp = vec![0u8; self.data.len()];
        for y in 0..h {
            let row = &self.data[(y * w) as usize..][..w as usize];
            for x in 0..w {
                let mut acc = 0u32;
                for (k, &kv) in kernel.iter().enumerate() {
                    let sx = (x + k as isize - radius).clamp(0, w - 1);
                    acc += kv * u32::from(row[sx as usize]);
                }
                tmp[(y * w + x) as usize] = ((acc + scale / 2) >> 16).min(255) as u8;
            }
        }
        let mut out = vec![0u8; self.data.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0u32;
                for (k, &kv) in kernel.iter().enumerate() {
                    let sy = (y + k as isize - radius).clamp(0, h - 1);
                    acc += kv * u32::from(tmp[(sy * w + x) as usize]);
                }
                out[(y * w + x) as usize] = ((acc + scale / 2) >> 16).min(255) as u8;
            }
        }
        Luma {
            width: self.width,
            height: self.height,
            data: out,
        }
    }

    /// 3×3 median filter (edges copied): removes salt-and-pepper noise without blurring module
    /// edges the way a Gaussian does.
    pub fn median3(&self) -> Luma {
        let (w, h) = (self.width, self.height);
        let mut out = self.data.clone();
        if w < 3 || h < 3 {
            return Luma {
                width: w,
                height: h,
                data: out,
            };
        }
        for y in 1..h - 1 {
            let (r0, r1, r2) = (
                &self.data[(y - 1) * w..][..w],
                &self.data[y * w..][..w],
                &self.data[(y + 1) * w..][..w],
            );
            for x in 1..w - 1 {
                let mut v = [
                    r0[x - 1],
                    r0[x],
                    r0[x + 1],
                    r1[x - 1],
                    r1[x],
                    r1[x + 1],
                    r2[x - 1],
                    r2[x],
                    r2[x + 1],
                ];
                let (_, m, _) = v.select_nth_unstable(4);
                out[y * w + x] = *m;
            }
        }
        Luma {
            width: w,
            height: h,
            data: out,
        }
    }

    /// Local-mean threshold over an integral image: a pixel is dark when it is more than `offset`
    /// below the mean of the `(2r+1)²` window around it. Returns one byte per pixel, 1 = dark.
    /// With `light`, the opposite: 1 where a pixel is more than `offset` above the local mean
    /// (the modules of an inverted, dark-mode code).
    ///
    /// Unlike rqrr's row-wise running mean this uses vertical context too, which is what low
    /// contrast, gradients, shadows and moiré need.
    pub fn adaptive_bitmap(&self, radius: usize, offset: u8, light: bool) -> Vec<u8> {
        let (w, h) = (self.width, self.height);
        let iw = w + 1;
        // Wrapping u32 sums: window sums are < 2^32, so differences of wrapped totals are exact.
        let mut integral = vec![0u32; iw * (h + 1)];
        for y in 0..h {
            let mut row_sum = 0u32;
            for x in 0..w {
                row_sum = row_sum.wrapping_add(u32::from(self.at(x, y)));
                integral[(y + 1) * iw + x + 1] = integral[y * iw + x + 1].wrapping_add(row_sum);
            }
        }
        let offset = u32::from(offset);
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            let y0 = y.saturating_sub(radius);
            let y1 = (y + radius + 1).min(h);
            for x in 0..w {
                let x0 = x.saturating_sub(radius);
                let x1 = (x + radius + 1).min(w);
                let count = ((y1 - y0) * (x1 - x0)) as u64;
                let sum = integral[y1 * iw + x1]
                    .wrapping_sub(integral[y0 * iw + x1])
                    .wrapping_sub(integral[y1 * iw + x0])
                    .wrapping_add(integral[y0 * iw + x0]);
                let v = u64::from(self.at(x, y)) * count;
                let off = u64::from(offset) * count;
                let sum = u64::from(sum);
                out[y * w + x] = if light {
                    u8::from(v > sum + off)
                } else {
                    u8::from(v + off < sum)
                };
            }
        }
        out
    }

    /// The adaptive-threshold window radius that worked across the corpus: max(8, min(w,h)/40).
    pub fn default_radius(&self) -> usize {
        (self.width.min(self.height) / 40).max(8)
    }

    /// Mean of the outermost pixels: the colour to fill in when rotating (the page background).
    fn border_mean(&self) -> u8 {
        let (w, h) = (self.width, self.height);
        let mut sum = 0u64;
        let mut n = 0u64;
        for x in 0..w {
            sum += u64::from(self.at(x, 0)) + u64::from(self.at(x, h - 1));
            n += 2;
        }
        for y in 0..h {
            sum += u64::from(self.at(0, y)) + u64::from(self.at(w - 1, y));
            n += 2;
        }
        (sum / n.max(1)) as u8
    }

    /// Rotates by `degrees` about the centre (bilinear), on a canvas large enough to hold the whole
    /// input; uncovered pixels get the border colour.
    pub fn rotated(&self, degrees: f32) -> Luma {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (w, h) = (self.width as f32, self.height as f32);
        // The small tolerance keeps 90° turns from growing the canvas by a pixel of rounding error.
        let nw = (w * cos.abs() + h * sin.abs() - 1e-3).ceil().max(1.0) as usize;
        let nh = (w * sin.abs() + h * cos.abs() - 1e-3).ceil().max(1.0) as usize;
        let fill = self.border_mean();
        let (cx, cy) = (w / 2.0, h / 2.0);
        let (ncx, ncy) = (nw as f32 / 2.0, nh as f32 / 2.0);
        let mut data = vec![fill; nw * nh];
        for oy in 0..nh {
            let dy = oy as f32 + 0.5 - ncy;
            for ox in 0..nw {
                let dx = ox as f32 + 0.5 - ncx;
                // Inverse mapping: output pixel -> source position.
                let sx = cos * dx + sin * dy + cx - 0.5;
                let sy = -sin * dx + cos * dy + cy - 0.5;
                // Pixels cover [-0.5, size - 0.5); within that, clamp to the outer pixel centres.
                if sx < -0.5 || sy < -0.5 || sx >= w - 0.5 || sy >= h - 0.5 {
                    continue;
                }
                let (sx, sy) = (sx.clamp(0.0, w - 1.0), sy.clamp(0.0, h - 1.0));
                let (x0, y0) = (sx as usize, sy as usize);
                let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let top = f32::from(self.at(x0, y0)) * (1.0 - fx) + f32::from(self.at(x1, y0)) * fx;
                let bottom =
                    f32::from(self.at(x0, y1)) * (1.0 - fx) + f32::from(self.at(x1, y1)) * fx;
                data[oy * nw + ox] = (top * (1.0 - fy) + bottom * fy + 0.5) as u8;
            }
        }
        Luma {
            width: nw,
            height: nh,
            data,
        }
    }

    /// A copy of the rectangle `[x0, x1) × [y0, y1)`, clipped to the image.
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Luma {
        let x1 = x1
            .min(self.width)
            .max(x0.min(self.width) + 1)
            .min(self.width);
        let y1 = y1
            .min(self.height)
            .max(y0.min(self.height) + 1)
            .min(self.height);
        let x0 = x0.min(x1 - 1);
        let y0 = y0.min(y1 - 1);
        let mut data = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            data.extend_from_slice(&self.data[y * self.width + x0..y * self.width + x1]);
        }
        Luma {
            width: x1 - x0,
            height: y1 - y0,
            data,
        }
    }

    /// Bicubic (Catmull-Rom) upscale by an integer factor: gives 1–2 px modules enough pixels for
    /// the finder-pattern scan, where a bilinear or whole-frame upscale did not help.
    pub fn upscale_cubic(&self, factor: usize) -> Luma {
        let factor = factor.max(1);
        let (w, h) = (self.width, self.height);
        let (nw, nh) = (w * factor, h * factor);
        // Output pixel o samples source position (o + 0.5) / factor - 0.5 = base + t, t in [0, 1).
        let taps: Vec<(isize, [f32; 4])> = (0..factor)
            .map(|i| {
                let s = (i as f32 + 0.5) / factor as f32 - 0.5;
                let f = s.floor();
                (f as isize, cubic_weights(s - f))
            })
            .collect();
        let clampx = |x: isize| x.clamp(0, w as isize - 1) as usize;
        let clampy = |y: isize| y.clamp(0, h as isize - 1) as usize;
        // Horizontal pass into f32, then vertical.
        let mut tmp = vec![0f32; nw * h];
        for y in 0..h {
            let row = &self.data[y * w..][..w];
            for ox in 0..nw {
                let (off, wts) = &taps[ox % factor];
                let base = (ox / factor) as isize + off;
                let mut acc = 0.0;
                for (k, wt) in wts.iter().enumerate() {
                    acc += wt * f32::from(row[clampx(base - 1 + k as isize)]);
                }
                tmp[y * nw + ox] = acc;
            }
        }
        let mut data = vec![0u8; nw * nh];
        for oy in 0..nh {
            let (off, wts) = &taps[oy % factor];
            let base = (oy / factor) as isize + off;
            let rows: [usize; 4] = std::array::from_fn(|k| clampy(base - 1 + k as isize) * nw);
            for ox in 0..nw {
                let mut acc = 0.0;
                for k in 0..4 {
                    acc += wts[k] * tmp[rows[k] + ox];
                }
                data[oy * nw + ox] = acc.round().clamp(0.0, 255.0) as u8;
            }
        }
        Luma {
            width: nw,
            height: nh,
            data,
        }
    }
}

/// Median of nine values with a fixed 19-exchange network (Paeth/Devillard), branch-free.
#[inline]
fn median9(mut p: [u8; 9]) -> u8 {
    let mut s = |a: usize, b: usize| {
        let (lo, hi) = (p[a].min(p[b]), p[a].max(p[b]));
        p[a] = lo;
        p[b] = hi;
    };
    s(1, 2);
    s(4, 5);
    s(7, 8);
    s(0, 1);
    s(3, 4);
    s(6, 7);
    s(1, 2);
    s(4, 5);
    s(7, 8);
    s(0, 3);
    s(5, 8);
    s(4, 7);
    s(3, 6);
    s(1, 4);
    s(2, 5);
    s(4, 7);
    s(4, 2);
    s(6, 4);
    s(4, 2);
    p[4]
}

/// Catmull-Rom weights for the four samples at offsets -1, 0, 1, 2 around a fraction `t`.
fn cubic_weights(t: f32) -> [f32; 4] {
    let a = -0.5;
    let f = |x: f32| {
        let x = x.abs();
        if x <= 1.0 {
            (a + 2.0) * x * x * x - (a + 3.0) * x * x + 1.0
        } else if x < 2.0 {
            a * x * x * x - 5.0 * a * x * x + 8.0 * a * x - 4.0 * a
        } else {
            0.0
        }
    };
    [f(t + 1.0), f(t), f(1.0 - t), f(2.0 - t)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: usize, h: usize) -> Luma {
        Luma::new(
            w,
            h,
            (0..w * h)
                // A gentle ramp (about one grey level per pixel), like a shadow across a page.
                .map(|i| (100 + (i % w) * 60 / (w - 1)) as u8)
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn new_rejects_mismatched_sizes() {
        assert!(Luma::new(2, 2, vec![0; 3]).is_none());
        assert!(Luma::new(0, 2, vec![]).is_none());
        assert!(Luma::from_rgba(1, 1, &[0, 0, 0]).is_none());
    }

    #[test]
    fn rgba_transparent_reads_as_white() {
        let l = Luma::from_rgba(2, 1, &[0, 0, 0, 0, 0, 0, 0, 255]).unwrap();
        assert_eq!(l.data, vec![255, 0]);
    }

    #[test]
    fn downscale_averages_blocks() {
        let l = Luma::new(4, 2, vec![0, 255, 10, 10, 255, 0, 10, 10])
            .unwrap()
            .downscale2();
        assert_eq!((l.width, l.height), (2, 1));
        assert_eq!(l.data, vec![128, 10]);
    }

    #[test]
    fn adaptive_marks_a_dark_dot_on_a_ramp() {
        let mut l = ramp(64, 64);
        l.data[32 * 64 + 32] = 0;
        let bits = l.adaptive_bitmap(8, 7, false);
        assert_eq!(bits[32 * 64 + 32], 1);
        // A smooth ramp alone has no dark pixels away from the dot.
        assert_eq!(bits.iter().map(|&b| b as usize).sum::<usize>(), 1);
        let light = l.inverted().adaptive_bitmap(8, 7, true);
        assert_eq!(light.iter().map(|&b| b as usize).sum::<usize>(), 1);
        assert_eq!(light[32 * 64 + 32], 1);
    }

    #[test]
    fn blur_keeps_flat_images_flat() {
        let l = Luma::new(10, 10, vec![77; 100]).unwrap();
        assert_eq!(l.gaussian_blur(1.2).data, vec![77; 100]);
    }

    #[test]
    fn median9_matches_sorting() {
        let mut seed = 12345u32;
        for _ in 0..2000 {
            let mut v = [0u8; 9];
            for x in v.iter_mut() {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                *x = (seed >> 16) as u8 % 7; // many ties
            }
            let mut sorted = v;
            sorted.sort_unstable();
            assert_eq!(median9(v), sorted[4], "{v:?}");
        }
    }

    #[test]
    fn median_removes_isolated_specks() {
        let mut l = Luma::new(5, 5, vec![200; 25]).unwrap();
        l.data[12] = 0;
        l.data[0] = 0;
        let m = l.median3();
        assert_eq!(m.data[12], 200);
        assert_eq!(m.data[0], 0, "edges are copied");
    }

    #[test]
    fn rotation_by_90_transposes() {
        let l = Luma::new(3, 2, vec![1, 2, 3, 4, 5, 6]).unwrap();
        let r = l.rotated(90.0);
        assert_eq!((r.width, r.height), (2, 3));
        assert_eq!(r.rotated(-90.0).data, l.data);
    }

    #[test]
    fn upscale_reproduces_flat_and_keeps_size() {
        let l = Luma::new(3, 3, vec![200; 9]).unwrap().upscale_cubic(3);
        assert_eq!((l.width, l.height), (9, 9));
        assert!(l.data.iter().all(|&v| v == 200));
    }

    #[test]
    fn crop_clips_to_the_image() {
        let l = ramp(10, 10);
        let c = l.crop(8, 8, 20, 20);
        assert_eq!((c.width, c.height), (2, 2));
        let c = l.crop(50, 50, 60, 60);
        assert_eq!((c.width, c.height), (1, 1));
    }
}
