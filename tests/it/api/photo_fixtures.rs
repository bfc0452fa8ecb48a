//! Photos for the tests, made here: a JPEG carrying GPS and device EXIF, a decompression bomb,
//! incompressible PNGs of a given size; and a hand-built multipart body, so hostile requests
//! (wrong names, wrong types, lying sizes) can be sent exactly as written.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};
use reqwest::{Client, Response};

use crate::harness::TestApp;

/// A `width × height` JPEG, left half red and right half blue, with an EXIF block that says
/// where it was taken (GPS 16°4'N 108°13'E), on what (Apple iPhone 15) and `orientation`.
pub fn jpeg_with_gps(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img =
        RgbImage::from_fn(width, height, |x, _| if x < width / 2 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) });
    let mut plain = Cursor::new(Vec::new());
    img.write_to(&mut plain, ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let tiff = exif_tiff(orientation);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    // SOI, then our APP1, then the rest of the encoder's JPEG.
    [&plain[..2], &app1[..], &plain[2..]].concat()
}

/// A little-endian TIFF: IFD0 (Make, Model, Orientation, GPS pointer) and a GPS IFD.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let rationals =
        |v: &[(u32, u32)]| v.iter().flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()]).flatten().collect();
    let ifd0_len = 2 + 4 * 12 + 4;
    let gps_offset = 8 + ifd0_len;
    let ifd0: Vec<(u16, u16, u32, Vec<u8>)> = vec![
        (0x010F, ASCII, 6, b"Apple\0".to_vec()),
        (0x0110, ASCII, 10, b"iPhone 15\0".to_vec()),
        (0x0112, SHORT, 1, orientation.to_le_bytes().to_vec()),
        (0x8825, LONG, 1, (gps_offset as u32).to_le_bytes().to_vec()),
    ];
    let gps: Vec<(u16, u16, u32, Vec<u8>)> = vec![
        (0x0001, ASCII, 2, b"N\0".to_vec()),
        (0x0002, RATIONAL, 3, rationals(&[(16, 1), (4, 1), (2, 1)])),
        (0x0003, ASCII, 2, b"E\0".to_vec()),
        (0x0004, RATIONAL, 3, rationals(&[(108, 1), (13, 1), (5, 1)])),
    ];
    let gps_len = 2 + gps.len() * 12 + 4;
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    let mut data = Vec::new();
    let data_start = 8 + ifd0_len + gps_len;
    for ifd in [ifd0, gps] {
        out.extend_from_slice(&(ifd.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in ifd {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            if value.len() <= 4 {
                let mut v = value.clone();
                v.resize(4, 0);
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&((data_start + data.len()) as u32).to_le_bytes());
                data.extend_from_slice(&value);
            }
        }
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    out.extend_from_slice(&data);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    out
}

/// A valid PNG header declaring `side × side` RGB pixels, followed by a few bytes of image
/// data: a decoder that trusts the header would allocate side² × 3 bytes.
pub fn png_bomb(side: u32) -> Vec<u8> {
    let mut ihdr = side.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    // zlib: a stored empty block would end the data; these bytes start a stream of zeros.
    let idat = [0x78, 0x9C, 0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0, 0xF7, 0x4F, 0x6D];
    [b"\x89PNG\r\n\x1a\n".to_vec(), chunk(b"IHDR", &ihdr), chunk(b"IDAT", &idat), chunk(b"IEND", &[])].concat()
}

/// A PNG of random-looking pixels (it does not compress), about `side² × 3` bytes; `seed`
/// makes different pictures.
pub fn noise_png(side: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let img = RgbImage::from_fn(side, side, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        Rgb([a, b, c])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A small flat-coloured PNG.
pub fn small_png(rgb: [u8; 3]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    RgbImage::from_pixel(48, 32, Rgb(rgb)).write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// One part of a multipart body: field name, file name, declared type, content.
pub type Part<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

const BOUNDARY: &str = "sb-test-boundary-7MA4YWxkTrZu0gW";

/// `(content type, body)` of a `multipart/form-data` request with these parts.
pub fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, file, ctype, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: {ctype}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// POSTs photos to a ticket (`query` e.g. `?kind=result`), with a tracking token if given.
pub async fn upload(
    app: &TestApp,
    who: &Client,
    ticket: &str,
    query: &str,
    token: Option<&str>,
    parts: &[Part<'_>],
) -> Response {
    let (ctype, body) = multipart(parts);
    let mut req =
        who.post(app.url(&format!("/api/v1/tickets/{ticket}/photos{query}"))).header("content-type", ctype).body(body);
    if let Some(t) = token {
        req = req.header("tracking-token", t);
    }
    req.send().await.unwrap()
}

/// The names of the files in the test's media directory, sorted.
pub fn media_files(app: &TestApp) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(&app.settings.media_dir) else { return Vec::new() };
    let mut names: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}
