//! The CPU lab's kernels: real work (images, statistics, hashing) split into independent tasks.
//!
//! A [`Job`] is one kernel at one size cut into `tasks` contiguous pieces. Each piece runs on its
//! own ([`Job::run_task`]) and [`combine`] checks that every piece came back, giving a checksum
//! that depends only on the kernel and the size: every mode, thread count and task count must
//! agree on it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::IntField;
use crate::kernels::{mix, sha256_chain};

/// The most tasks a job may be split into.
pub const MAX_TASKS: u32 = 65_536;

/// Iterations after which a Mandelbrot point counts as inside the set.
pub const MANDEL_MAX_ITER: u32 = 256;

/// SHA-256 hashes chained in each block of the SHA-256 kernel.
pub const SHA_ROUNDS_PER_BLOCK: u32 = 256;

/// Radius of the box blur: each output pixel is the mean of a (2r+1)² square.
pub const BLUR_RADIUS: u32 = 7;

/// Seed of the statistics kernel's data set: value `i` comes from `DATA_SEED + i`.
pub const DATA_SEED: u64 = 0x5EED_DA7A;

/// Bins of the statistics kernel's histogram, equal-width over `[0, 2^24)`.
pub const HISTOGRAM_BINS: usize = 64;

/// The golden-ratio increment of SplitMix64, also used to spread indices before mixing.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Values of the statistics kernel are 24-bit, so each histogram bin is 2^18 wide.
const VALUE_BITS: u32 = 24;
const BIN_SHIFT: u32 = VALUE_BITS - 6;

/// Which kind of work the CPU lab runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// Renders the Mandelbrot set; rows through the set cost far more than rows outside it.
    Mandelbrot,
    /// Box-blurs a generated grayscale image.
    Blur,
    /// Mean, spread, extremes and histogram of a generated data set.
    Stats,
    /// Independent chains of SHA-256 hashes.
    Sha256,
}

named_choices!(Kernel {
    Mandelbrot => "mandelbrot",
    Blur => "blur",
    Stats => "stats",
    Sha256 => "sha256",
});

impl Kernel {
    /// A heading for the kernel, e.g. "Image: Mandelbrot render".
    pub fn title(self) -> &'static str {
        match self {
            Kernel::Mandelbrot => "Image: Mandelbrot render",
            Kernel::Blur => "Image: box blur",
            Kernel::Stats => "Data: statistics and histogram",
            Kernel::Sha256 => "Encryption: SHA-256 hash chains",
        }
    }

    /// What the kernel's work items are, for throughput: "pixels", "values" or "hashes".
    pub fn unit(self) -> &'static str {
        match self {
            Kernel::Mandelbrot | Kernel::Blur => "pixels",
            Kernel::Stats => "values",
            Kernel::Sha256 => "hashes",
        }
    }

    /// The `size` setting: its range, unit and a default that takes one thread about 0.3 s.
    pub fn size_field(self) -> IntField {
        // Defaults come from the `calibrate_default_sizes` test, run natively in release.
        let (min, max, default, unit) = match self {
            Kernel::Mandelbrot => (16, 4000, 2000, "pixels wide"),
            // Blur and stats run faster than 0.2 s natively even at their largest size.
            Kernel::Blur => (16, 3000, 3000, "pixels wide"),
            Kernel::Stats => (1, 50_000_000, 50_000_000, "values"),
            Kernel::Sha256 => (1, 200_000, 6000, "blocks"),
        };
        IntField {
            name: "size",
            min,
            max,
            default,
            unit,
        }
    }
}

/// A kernel's work that could not be done: bad settings, a missing task, or a task out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelError(pub String);

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KernelError {}

/// One kernel at one size, split into `tasks` contiguous pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The work to do.
    pub kernel: Kernel,
    /// The amount of work, in the unit of [`Kernel::size_field`].
    pub size: u32,
    /// How many pieces the work is split into.
    pub tasks: u32,
}

/// What one task computed.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskResult {
    /// The task number within the job.
    pub task: u32,
    /// Work items the task did (pixels, values or hashes).
    pub items: u64,
    /// Wrapping sum of the hashes of the task's rows or blocks (for stats, a hash of its partial).
    pub checksum: u64,
    /// The rows an image task rendered; `None` for other kernels and for tasks with no rows.
    pub tile: Option<Tile>,
    /// The statistics of a stats task's values; `None` for other kernels.
    pub partial: Option<StatsPartial>,
}

/// Rows of an image, RGBA with 4 bytes per pixel, ready for a canvas's `putImageData`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tile {
    /// Left edge within the whole image, in pixels.
    pub x: u32,
    /// Top edge within the whole image, in pixels.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The pixels, row by row, `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// Exact statistics of some of the data set's values; partials merge in any order.
#[derive(Clone, Debug, PartialEq)]
pub struct StatsPartial {
    /// Number of values.
    pub count: u64,
    /// Sum of the values.
    pub sum: u128,
    /// Sum of the squared values.
    pub sum_sq: u128,
    /// Smallest value (`u32::MAX` when there are none).
    pub min: u32,
    /// Largest value (0 when there are none).
    pub max: u32,
    /// Values per bin, 64 equal bins over `[0, 2^24)`.
    pub histogram: [u64; HISTOGRAM_BINS],
}

/// The finished statistics of the data set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataStats {
    /// Number of values.
    pub count: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Population standard deviation.
    pub std_dev: f64,
    /// Smallest value.
    pub min: u32,
    /// Largest value.
    pub max: u32,
    /// Values per bin, 64 equal bins over `[0, 2^24)`.
    pub histogram: Vec<u64>,
}

/// A whole job's outcome, put together from all its tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct JobResult {
    /// Depends only on the kernel and the size, never on the tasks or their order.
    pub checksum: u64,
    /// Work items done in all.
    pub items: u64,
    /// The data set's statistics, for the stats kernel.
    pub stats: Option<DataStats>,
}

impl Job {
    /// A job, if `size` is within the kernel's range and `tasks` within 1 to [`MAX_TASKS`].
    ///
    /// More tasks than rows or items is fine: the extra tasks get nothing to do.
    pub fn new(kernel: Kernel, size: u32, tasks: u32) -> Result<Job, KernelError> {
        let field = kernel.size_field();
        if !(field.min..=field.max).contains(&size) {
            return Err(KernelError(format!(
                "size must be from {} to {} {} for {}; got {size}",
                field.min,
                field.max,
                field.unit,
                kernel.name()
            )));
        }
        if !(1..=MAX_TASKS).contains(&tasks) {
            return Err(KernelError(format!(
                "tasks must be from 1 to {MAX_TASKS}; got {tasks}"
            )));
        }
        Ok(Job {
            kernel,
            size,
            tasks,
        })
    }

    /// The image's (width, height) in pixels for the image kernels; `None` for the others.
    pub fn image_size(&self) -> Option<(u32, u32)> {
        match self.kernel {
            // Two thirds of the width, rounded: 2w/3 is never exactly half-way.
            Kernel::Mandelbrot => {
                let height = (2 * u64::from(self.size) + 1) / 3;
                Some((self.size, to_u32(height).max(1)))
            }
            Kernel::Blur => Some((self.size, self.size)),
            Kernel::Stats | Kernel::Sha256 => None,
        }
    }

    /// Total work items: pixels for images, values for stats, hashes for SHA-256.
    pub fn items(&self) -> u64 {
        match self.image_size() {
            Some((width, height)) => u64::from(width) * u64::from(height),
            None if self.kernel == Kernel::Sha256 => {
                u64::from(self.size) * u64::from(SHA_ROUNDS_PER_BLOCK)
            }
            None => u64::from(self.size),
        }
    }

    /// The units the tasks split between them: rows for images, values, or blocks.
    fn units(&self) -> u64 {
        match self.image_size() {
            Some((_, height)) => u64::from(height),
            None => u64::from(self.size),
        }
    }

    /// The units `[start, end)` of task `task`: `[t·U/T, (t+1)·U/T)`.
    fn share(&self, task: u32) -> (u64, u64) {
        let units = u128::from(self.units());
        let tasks = u128::from(self.tasks.max(1));
        let bound = |t: u32| u64::try_from(u128::from(t) * units / tasks).unwrap_or(u64::MAX);
        (bound(task), bound(task.saturating_add(1)))
    }

    /// Computes task `task` of the job; an error for a task out of range or an invalid job.
    pub fn run_task(&self, task: u32) -> Result<TaskResult, KernelError> {
        // The fields are public, so the job is checked again rather than trusted.
        let job = Job::new(self.kernel, self.size, self.tasks)?;
        if task >= job.tasks {
            return Err(KernelError(format!(
                "task {task} is out of range: the job has {} tasks",
                job.tasks
            )));
        }
        let (start, end) = job.share(task);
        let mut result = TaskResult {
            task,
            items: 0,
            checksum: 0,
            tile: None,
            partial: None,
        };
        match (job.kernel, job.image_size()) {
            (Kernel::Mandelbrot | Kernel::Blur, Some((width, height))) => {
                let rows = to_u32(start)..to_u32(end);
                let rgba = if job.kernel == Kernel::Mandelbrot {
                    mandelbrot_rows(width, height, rows.clone())
                } else {
                    blur_rows(width, rows.clone())
                };
                result.checksum = rows_checksum(&rgba, width, rows.start);
                result.items = u64::from(width) * end.saturating_sub(start);
                if !rows.is_empty() {
                    result.tile = Some(Tile {
                        x: 0,
                        y: rows.start,
                        width,
                        height: rows.end - rows.start,
                        rgba,
                    });
                }
            }
            (Kernel::Stats, _) => {
                let partial = StatsPartial::of_values(start, end);
                result.items = partial.count;
                result.checksum = partial.checksum();
                result.partial = Some(partial);
            }
            (Kernel::Sha256, _) => {
                let blocks = to_u32(start)..to_u32(end);
                result.items = end.saturating_sub(start) * u64::from(SHA_ROUNDS_PER_BLOCK);
                result.checksum = blocks
                    .map(|block| {
                        let digest = sha256_chain(block, SHA_ROUNDS_PER_BLOCK);
                        item_hash(u64::from(block), fnv1a(&digest))
                    })
                    .fold(0, u64::wrapping_add);
            }
            (Kernel::Mandelbrot | Kernel::Blur, None) => {
                return Err(KernelError(format!(
                    "{} has no image size",
                    job.kernel.name()
                )));
            }
        }
        Ok(result)
    }
}

/// Puts a job's task results together, in any order, checking that each task is there once.
///
/// The checksum is the wrapping sum of the task checksums, and each task's is the wrapping sum
/// of its rows' (or blocks') hashes, so any split adds up to the same total. For stats the
/// partials are merged and the checksum is the merged statistics' hash.
pub fn combine(job: &Job, results: &[TaskResult]) -> Result<JobResult, KernelError> {
    let job = Job::new(job.kernel, job.size, job.tasks)?;
    let mut seen = vec![false; job.tasks as usize];
    for result in results {
        match seen.get_mut(result.task as usize) {
            Some(done) if !*done => *done = true,
            Some(_) => {
                return Err(KernelError(format!(
                    "task {} came back more than once",
                    result.task
                )))
            }
            None => {
                return Err(KernelError(format!(
                    "task {} is out of range: the job has {} tasks",
                    result.task, job.tasks
                )))
            }
        }
    }
    let missing = seen.iter().filter(|&&done| !done).count();
    if let Some(first) = seen.iter().position(|&done| !done) {
        return Err(KernelError(format!(
            "{missing} of {} tasks did not come back (the first is task {first})",
            job.tasks
        )));
    }

    let items = results
        .iter()
        .fold(0u64, |sum, result| sum.saturating_add(result.items));
    if items != job.items() {
        return Err(KernelError(format!(
            "the tasks did {items} {} of work; the job has {}",
            job.kernel.unit(),
            job.items()
        )));
    }

    if job.kernel == Kernel::Stats {
        let mut merged = StatsPartial::empty();
        for result in results {
            let partial = result
                .partial
                .as_ref()
                .ok_or_else(|| KernelError(format!("task {} has no statistics", result.task)))?;
            merged.merge(partial);
        }
        return Ok(JobResult {
            checksum: merged.checksum(),
            items,
            stats: merged.finish(),
        });
    }
    Ok(JobResult {
        checksum: results
            .iter()
            .map(|result| result.checksum)
            .fold(0, u64::wrapping_add),
        items,
        stats: None,
    })
}

impl StatsPartial {
    /// Statistics of no values: merging it changes nothing.
    pub fn empty() -> StatsPartial {
        StatsPartial {
            count: 0,
            sum: 0,
            sum_sq: 0,
            min: u32::MAX,
            max: 0,
            histogram: [0; HISTOGRAM_BINS],
        }
    }

    /// Adds one value; values of 2^24 and above count in the last bin.
    pub fn push(&mut self, value: u32) {
        let wide = u128::from(value);
        self.count = self.count.saturating_add(1);
        self.sum = self.sum.saturating_add(wide);
        self.sum_sq = self.sum_sq.saturating_add(wide * wide);
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        let bin = ((value >> BIN_SHIFT) as usize).min(HISTOGRAM_BINS - 1);
        if let Some(count) = self.histogram.get_mut(bin) {
            *count = count.saturating_add(1);
        }
    }

    /// Statistics of the data set's values `[start, end)`.
    fn of_values(start: u64, end: u64) -> StatsPartial {
        let mut partial = StatsPartial::empty();
        for i in start..end {
            partial.push(data_value(i));
        }
        partial
    }

    /// Adds another partial's values to this one's.
    pub fn merge(&mut self, other: &StatsPartial) {
        self.count = self.count.saturating_add(other.count);
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine = mine.saturating_add(theirs);
        }
    }

    /// Mean, population standard deviation and the rest; `None` when there are no values.
    pub fn finish(&self) -> Option<DataStats> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        let mean = self.sum as f64 / n;
        // n·Σx² − (Σx)² is exact in integers while it fits, so no precision is lost to cancellation.
        let spread = u128::from(self.count)
            .checked_mul(self.sum_sq)
            .zip(self.sum.checked_mul(self.sum))
            .and_then(|(a, b)| a.checked_sub(b));
        let variance = match spread {
            Some(spread) => spread as f64 / (n * n),
            None => (self.sum_sq as f64 / n - mean * mean).max(0.0),
        };
        Some(DataStats {
            count: self.count,
            mean,
            std_dev: variance.sqrt(),
            min: self.min,
            max: self.max,
            histogram: self.histogram.to_vec(),
        })
    }

    /// A hash of every field, so equal statistics give equal checksums however they were split.
    pub fn checksum(&self) -> u64 {
        let mut hash = Fnv::new();
        hash.write(&self.count.to_le_bytes());
        hash.write(&self.sum.to_le_bytes());
        hash.write(&self.sum_sq.to_le_bytes());
        hash.write(&self.min.to_le_bytes());
        hash.write(&self.max.to_le_bytes());
        for count in self.histogram {
            hash.write(&count.to_le_bytes());
        }
        mix(hash.finish())
    }
}

impl Default for StatsPartial {
    fn default() -> Self {
        StatsPartial::empty()
    }
}

/// Value `i` of the statistics data set: a 24-bit integer from SplitMix64 of `DATA_SEED + i`.
pub fn data_value(i: u64) -> u32 {
    (splitmix64(DATA_SEED.wrapping_add(i)) >> (64 - VALUE_BITS)) as u32
}

/// One SplitMix64 step from state `x`: add the golden increment, then mix.
fn splitmix64(x: u64) -> u64 {
    mix(x.wrapping_add(GOLDEN))
}

/// Mixes an item's index with a hash of its content, so items swapped between places differ.
fn item_hash(index: u64, content: u64) -> u64 {
    mix(index.wrapping_mul(GOLDEN) ^ content)
}

/// The FNV-1a hash, 64-bit.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xCBF2_9CE4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.write(bytes);
    hash.finish()
}

/// Wrapping sum of the hashes of RGBA rows `first_row, first_row + 1, …` of `width` pixels.
fn rows_checksum(rgba: &[u8], width: u32, first_row: u32) -> u64 {
    let row_bytes = (width as usize).saturating_mul(4).max(1);
    rgba.chunks(row_bytes)
        .zip(u64::from(first_row)..)
        .map(|(row, index)| item_hash(index, fnv1a(row)))
        .fold(0, u64::wrapping_add)
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Iterations before the orbit of `c = cx + i·cy` leaves `|z| ≤ 2`, at most [`MANDEL_MAX_ITER`].
fn escape_iterations(cx: f64, cy: f64) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for i in 0..MANDEL_MAX_ITER {
        let (x2, y2) = (x * x, y * y);
        if x2 + y2 > 4.0 {
            return i;
        }
        y = 2.0 * x * y + cy;
        x = x2 - y2 + cx;
    }
    MANDEL_MAX_ITER
}

/// The colour of each iteration count: dark inside the set, blue far out, gold near the edge.
fn palette() -> Vec<[u8; 4]> {
    let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    (0..=MANDEL_MAX_ITER)
        .map(|i| {
            if i == MANDEL_MAX_ITER {
                return [10, 6, 22, 255];
            }
            // The square root spreads the many low counts over more of the palette.
            let t = (f64::from(i) / f64::from(MANDEL_MAX_ITER)).sqrt();
            let u = 1.0 - t;
            [
                channel(9.0 * u * t * t * t),
                channel(15.0 * u * u * t * t),
                channel(8.5 * u * u * u * t + 0.08),
                255,
            ]
        })
        .collect()
}

/// RGBA of Mandelbrot rows `rows` of a `width` × `height` render.
fn mandelbrot_rows(width: u32, height: u32, rows: std::ops::Range<u32>) -> Vec<u8> {
    let colours = palette();
    // Square pixels that cover at least x ∈ [-2.2, 0.8] and y ∈ [-1.2, 1.2], centred on -0.7.
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let scale = (3.0 / w).max(2.4 / h);
    let mut rgba = Vec::with_capacity(rows.len().saturating_mul(width as usize).saturating_mul(4));
    for row in rows {
        let cy = (h / 2.0 - (f64::from(row) + 0.5)) * scale;
        for column in 0..width {
            let cx = -0.7 + (f64::from(column) + 0.5 - w / 2.0) * scale;
            let iterations = escape_iterations(cx, cy) as usize;
            let colour = colours.get(iterations).copied().unwrap_or([0, 0, 0, 255]);
            rgba.extend_from_slice(&colour);
        }
    }
    rgba
}

/// The blur kernel's `side` × `side` grayscale source image.
///
/// A diagonal gradient, a few discs and strong per-pixel noise: integer arithmetic only, so every
/// platform draws exactly the same image.
struct SourceImage {
    side: i64,
    /// (centre x, centre y, radius², gray level) in pixels.
    discs: [(i64, i64, i64, i64); 4],
}

impl SourceImage {
    fn new(side: u32) -> SourceImage {
        // (centre x, centre y, radius) in thousandths of the side, and the disc's gray level.
        const DISCS: [(i64, i64, i64, i64); 4] = [
            (300, 320, 180, 230),
            (680, 420, 240, 20),
            (450, 760, 150, 200),
            (820, 820, 90, 250),
        ];
        let s = i64::from(side.max(1));
        SourceImage {
            side: s,
            discs: DISCS.map(|(x, y, r, shade)| {
                let r = r * s / 1000;
                (x * s / 1000, y * s / 1000, r * r, shade)
            }),
        }
    }

    fn pixel(&self, x: u32, y: u32) -> u8 {
        let (px, py) = (i64::from(x), i64::from(y));
        let mut level = 40 + 120 * (px + py) / (2 * self.side);
        for (cx, cy, rr, shade) in self.discs {
            let (dx, dy) = (px - cx, py - cy);
            if dx * dx + dy * dy <= rr {
                level = shade;
            }
        }
        let noise = (mix(u64::from(x) << 32 | u64::from(y)) & 0x3F) as i64 - 32;
        (level + noise).clamp(0, 255) as u8
    }
}

/// RGBA (gray) of blurred rows `rows` of the `side` × `side` image, generating only the source
/// rows they need, so every task works alone.
fn blur_rows(side: u32, rows: std::ops::Range<u32>) -> Vec<u8> {
    if rows.is_empty() || side == 0 {
        return Vec::new();
    }
    let r = BLUR_RADIUS as usize;
    let taps = 2 * r + 1;
    let width = side as usize;
    let last = side - 1;
    let src_start = rows.start.saturating_sub(BLUR_RADIUS);
    let src_end = rows.end.saturating_add(BLUR_RADIUS).min(side);

    // Each source row in reach, padded with copies of its edge pixels so no tap needs clamping.
    let padded_width = width + 2 * r;
    let mut source: Vec<u8> = Vec::with_capacity((src_end - src_start) as usize * padded_width);
    let image = SourceImage::new(side);
    for y in src_start..src_end {
        let first = image.pixel(0, y);
        source.extend(std::iter::repeat_n(first, r));
        source.extend((0..side).map(|x| image.pixel(x, y)));
        let end = image.pixel(last, y);
        source.extend(std::iter::repeat_n(end, r));
    }

    // A direct 81-pixel sum rather than two 9-pixel passes: with this much arithmetic per byte
    // the kernel scales with threads instead of stalling on memory bandwidth.
    let count = (taps * taps) as u32;
    let mut rgba = Vec::with_capacity(rows.len() * width * 4);
    let mut sums = vec![0u32; width];
    for y in rows {
        sums.iter_mut().for_each(|sum| *sum = 0);
        for k in 0..BLUR_RADIUS * 2 + 1 {
            let sy = (y + k).saturating_sub(BLUR_RADIUS).max(src_start).min(last) - src_start;
            let at = sy as usize * padded_width;
            let Some(row) = source.get(at..at + padded_width) else {
                continue;
            };
            for (sum, window) in sums.iter_mut().zip(row.windows(taps)) {
                *sum += window.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        for &sum in &sums {
            let gray = ((sum + count / 2) / count) as u8;
            rgba.extend_from_slice(&[gray, gray, gray, 255]);
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: [(Kernel, u32); 4] = [
        (Kernel::Mandelbrot, 48),
        (Kernel::Blur, 40),
        (Kernel::Stats, 5000),
        (Kernel::Sha256, 40),
    ];

    fn job(kernel: Kernel, size: u32, tasks: u32) -> Job {
        Job::new(kernel, size, tasks).unwrap()
    }

    fn run_all(job: &Job) -> Vec<TaskResult> {
        (0..job.tasks).map(|t| job.run_task(t).unwrap()).collect()
    }

    /// A fixed shuffle: tasks ordered by a hash of their number.
    fn shuffled(mut results: Vec<TaskResult>) -> Vec<TaskResult> {
        results.sort_by_key(|result| mix(u64::from(result.task)));
        results
    }

    #[test]
    fn names_titles_and_units() {
        assert_eq!(
            Kernel::ALL.map(Kernel::name),
            ["mandelbrot", "blur", "stats", "sha256"]
        );
        assert_eq!(
            Kernel::ALL.map(Kernel::unit),
            ["pixels", "pixels", "values", "hashes"]
        );
        assert_eq!(Kernel::Blur.title(), "Image: box blur");
        assert_eq!(Kernel::from_name("sha256"), Some(Kernel::Sha256));
        assert_eq!(Kernel::from_name("SHA256"), None);
        for kernel in Kernel::ALL {
            assert_eq!(
                serde_json::to_value(kernel).unwrap(),
                serde_json::json!(kernel.name())
            );
            let field = kernel.size_field();
            assert_eq!(field.name, "size");
            assert!((field.min..=field.max).contains(&field.default));
        }
        let ranges = Kernel::ALL.map(|k| {
            let f = k.size_field();
            (f.min, f.max, f.unit)
        });
        assert_eq!(
            ranges,
            [
                (16, 4000, "pixels wide"),
                (16, 3000, "pixels wide"),
                (1, 50_000_000, "values"),
                (1, 200_000, "blocks")
            ]
        );
    }

    #[test]
    fn job_sizes_and_items() {
        assert_eq!(job(Kernel::Mandelbrot, 16, 1).image_size(), Some((16, 11)));
        assert_eq!(job(Kernel::Mandelbrot, 17, 1).image_size(), Some((17, 11)));
        assert_eq!(
            job(Kernel::Mandelbrot, 4000, 1).image_size(),
            Some((4000, 2667))
        );
        assert_eq!(job(Kernel::Mandelbrot, 300, 1).items(), 60_000);
        assert_eq!(job(Kernel::Blur, 100, 1).image_size(), Some((100, 100)));
        assert_eq!(job(Kernel::Blur, 100, 1).items(), 10_000);
        assert_eq!(job(Kernel::Stats, 7, 1).image_size(), None);
        assert_eq!(job(Kernel::Stats, 7, 1).items(), 7);
        assert_eq!(job(Kernel::Sha256, 3, 1).items(), 768);
        assert_eq!(
            job(Kernel::Sha256, 200_000, 1).items(),
            200_000 * u64::from(SHA_ROUNDS_PER_BLOCK)
        );
    }

    #[test]
    fn job_rejects_out_of_range_settings() {
        for kernel in Kernel::ALL {
            let field = kernel.size_field();
            for size in [field.min - 1, field.max + 1, u32::MAX] {
                assert!(Job::new(kernel, size, 1).is_err(), "{kernel:?} {size}");
            }
            for tasks in [0, MAX_TASKS + 1, u32::MAX] {
                assert!(Job::new(kernel, field.min, tasks).is_err(), "{tasks}");
            }
            // Built by hand past `new`, a bad job still gives errors and not panics.
            let bad = Job {
                kernel,
                size: u32::MAX,
                tasks: 0,
            };
            assert!(bad.run_task(0).is_err());
            assert!(combine(&bad, &[]).is_err());
        }
        assert_eq!(
            Job::new(Kernel::Mandelbrot, 5, 1).unwrap_err().to_string(),
            "size must be from 16 to 4000 pixels wide for mandelbrot; got 5"
        );
        assert_eq!(
            Job::new(Kernel::Stats, 5, 0).unwrap_err().0,
            "tasks must be from 1 to 65536; got 0"
        );
        let small = job(Kernel::Stats, 10, 4);
        for task in [4, 5, u32::MAX] {
            assert_eq!(
                small.run_task(task).unwrap_err().0,
                format!("task {task} is out of range: the job has 4 tasks")
            );
        }
    }

    #[test]
    fn checksum_ignores_task_count_and_order() {
        for (kernel, size) in SMALL {
            let expected = combine(&job(kernel, size, 1), &run_all(&job(kernel, size, 1)))
                .unwrap()
                .checksum;
            for tasks in [2, 3, 7, 64, 1000] {
                let job = job(kernel, size, tasks);
                let results = run_all(&job);
                let forward = combine(&job, &results).unwrap();
                assert_eq!(forward.checksum, expected, "{kernel:?} {tasks}");
                assert_eq!(forward.items, job.items());
                let mut reversed = results.clone();
                reversed.reverse();
                assert_eq!(combine(&job, &reversed).unwrap(), forward);
                assert_eq!(combine(&job, &shuffled(results)).unwrap(), forward);
            }
        }
    }

    #[test]
    fn checksum_depends_on_kernel_and_size() {
        let mut seen: Vec<u64> = Vec::new();
        for (kernel, size) in SMALL {
            for size in [size, size + 1] {
                let job = job(kernel, size, 3);
                let checksum = combine(&job, &run_all(&job)).unwrap().checksum;
                assert!(!seen.contains(&checksum), "{kernel:?} {size}");
                seen.push(checksum);
            }
        }
    }

    #[test]
    fn accepted_inputs_never_fail() {
        for kernel in Kernel::ALL {
            let field = kernel.size_field();
            // Full runs at the bottom of the range, with more tasks than work.
            for tasks in [1, 2, 5, 17, 100] {
                let job = job(kernel, field.min, tasks);
                let results = run_all(&job);
                assert_eq!(combine(&job, &results).unwrap().items, job.items());
            }
            // At the top of the range only the last of many tasks: small, and quick.
            for size in [field.max, field.max - 1, field.default] {
                for tasks in [MAX_TASKS, MAX_TASKS - 1, 40_000] {
                    let job = job(kernel, size, tasks);
                    let last = job.run_task(tasks - 1).unwrap();
                    assert_eq!(last.task, tasks - 1);
                    assert!(last.items <= job.items() / u64::from(tasks) + 4096);
                }
            }
        }
        // Many (size, tasks) pairs near the bottom of each range, every split against one task.
        for kernel in Kernel::ALL {
            let min = kernel.size_field().min;
            for size in [min, min + 1, min + 7, min + 47] {
                let one = job(kernel, size, 1);
                let expected = combine(&one, &run_all(&one)).unwrap();
                for tasks in [2, 3, 4, 63, 64, 65, 1000] {
                    let job = job(kernel, size, tasks);
                    let results = run_all(&job);
                    assert_eq!(combine(&job, &results), Ok(expected.clone()), "{job:?}");
                }
            }
        }
    }

    #[test]
    fn the_most_tasks_work_too() {
        for (kernel, size) in [
            (Kernel::Mandelbrot, 16),
            (Kernel::Blur, 16),
            (Kernel::Stats, 1000),
            (Kernel::Sha256, 10),
        ] {
            let one = job(kernel, size, 1);
            let expected = combine(&one, &run_all(&one)).unwrap();
            let most = job(kernel, size, MAX_TASKS);
            let results = run_all(&most);
            assert_eq!(results.len(), MAX_TASKS as usize);
            assert_eq!(combine(&most, &shuffled(results)), Ok(expected));
        }
    }

    #[test]
    fn extra_tasks_get_empty_shares() {
        let job = job(Kernel::Mandelbrot, 16, 64);
        let results = run_all(&job);
        let empty: Vec<&TaskResult> = results.iter().filter(|r| r.items == 0).collect();
        assert_eq!(empty.len(), 64 - 11);
        assert!(empty.iter().all(|r| r.tile.is_none() && r.checksum == 0));
        let one = Job::new(Kernel::Mandelbrot, 16, 1).unwrap();
        assert_eq!(
            combine(&job, &results).unwrap().checksum,
            combine(&one, &run_all(&one)).unwrap().checksum
        );
    }

    #[test]
    fn tiles_cover_the_image_row_by_row() {
        for kernel in [Kernel::Mandelbrot, Kernel::Blur] {
            let whole = job(kernel, 60, 1).run_task(0).unwrap().tile.unwrap();
            let (width, height) = job(kernel, 60, 1).image_size().unwrap();
            assert_eq!(
                (whole.x, whole.y, whole.width, whole.height),
                (0, 0, width, height)
            );
            assert_eq!(whole.rgba.len(), (width * height * 4) as usize);

            let split = job(kernel, 60, 7);
            let mut stitched = Vec::new();
            let mut next_row = 0;
            for result in run_all(&split) {
                let tile = result.tile.unwrap();
                assert_eq!((tile.x, tile.y, tile.width), (0, next_row, width));
                assert_eq!(tile.rgba.len(), (width * tile.height * 4) as usize);
                assert_eq!(result.items, u64::from(width * tile.height));
                next_row += tile.height;
                stitched.extend_from_slice(&tile.rgba);
            }
            assert_eq!(next_row, height);
            assert_eq!(stitched, whole.rgba);
        }
    }

    #[test]
    fn rows_split_as_t_h_over_t() {
        let job = job(Kernel::Blur, 100, 3);
        let rows: Vec<(u32, u32)> = run_all(&job)
            .into_iter()
            .map(|r| r.tile.map(|t| (t.y, t.height)).unwrap())
            .collect();
        assert_eq!(rows, [(0, 33), (33, 33), (66, 34)]);
    }

    #[test]
    fn combine_reports_missing_and_repeated_tasks() {
        let job = job(Kernel::Sha256, 10, 4);
        let results = run_all(&job);
        assert_eq!(
            combine(&job, &results[..3]).unwrap_err().0,
            "1 of 4 tasks did not come back (the first is task 3)"
        );
        assert!(combine(&job, &[]).is_err());
        let mut twice = results.clone();
        twice.push(results[1].clone());
        assert_eq!(
            combine(&job, &twice).unwrap_err().0,
            "task 1 came back more than once"
        );
        let mut stranger = results.clone();
        stranger[0].task = 9;
        assert!(combine(&job, &stranger)
            .unwrap_err()
            .0
            .contains("out of range"));
        let mut short = results.clone();
        short[2].items -= 1;
        assert!(combine(&job, &short).unwrap_err().0.contains("of work"));

        let stats = Job::new(Kernel::Stats, 10, 2).unwrap();
        let mut results = run_all(&stats);
        results[1].partial = None;
        assert_eq!(
            combine(&stats, &results).unwrap_err().0,
            "task 1 has no statistics"
        );
    }

    #[test]
    fn mandelbrot_inside_and_outside() {
        assert_eq!(escape_iterations(-0.5, 0.0), MANDEL_MAX_ITER);
        assert_eq!(escape_iterations(0.0, 0.0), MANDEL_MAX_ITER);
        assert_eq!(escape_iterations(-1.0, 0.0), MANDEL_MAX_ITER);
        // |c| > 2 escapes after one step; c = 1 after three (0, 1, 2, 5).
        assert_eq!(escape_iterations(2.5, 0.0), 1);
        assert_eq!(escape_iterations(1.0, 0.0), 3);
        let colours = palette();
        assert_eq!(colours.len(), MANDEL_MAX_ITER as usize + 1);
        assert_eq!(colours[MANDEL_MAX_ITER as usize], [10, 6, 22, 255]);
        assert!(colours.iter().all(|c| c[3] == 255));
    }

    #[test]
    fn mandelbrot_middle_rows_cost_most() {
        // The middle row crosses the set; the top row misses it.
        let (width, height) = (90, 60);
        let inside = |row: u32| {
            mandelbrot_rows(width, height, row..row + 1)
                .chunks(4)
                .filter(|p| *p == [10, 6, 22, 255])
                .count()
        };
        assert_eq!(inside(0), 0);
        assert!(inside(30) > 20, "{}", inside(30));
    }

    #[test]
    fn blur_is_the_clamped_box_mean() {
        let side = 23;
        let source = |x: i64, y: i64| {
            let clamp = |v: i64| v.clamp(0, i64::from(side) - 1) as u32;
            u32::from(SourceImage::new(side).pixel(clamp(x), clamp(y)))
        };
        let blurred = blur_rows(side, 0..side);
        for y in 0..i64::from(side) {
            for x in 0..i64::from(side) {
                let r = i64::from(BLUR_RADIUS);
                let sum: u32 = (-r..=r)
                    .flat_map(|dy| (-r..=r).map(move |dx| (dx, dy)))
                    .map(|(dx, dy)| source(x + dx, y + dy))
                    .sum();
                let at = ((y * i64::from(side) + x) * 4) as usize;
                let area = ((2 * r + 1) * (2 * r + 1)) as u32;
                let expected = ((sum + area / 2) / area) as u8;
                assert_eq!(blurred[at..at + 4], [expected, expected, expected, 255]);
            }
        }
        assert!(blur_rows(side, 5..5).is_empty());
    }

    #[test]
    fn source_image_has_structure() {
        let side = 200;
        let levels: Vec<u8> = (0..side)
            .map(|x| SourceImage::new(side).pixel(x, 64))
            .collect();
        let (lo, hi) = (levels.iter().min().unwrap(), levels.iter().max().unwrap());
        assert!(hi - lo > 100, "{lo}..{hi}");
    }

    #[test]
    fn stats_of_known_values() {
        let mut partial = StatsPartial::empty();
        assert_eq!(partial.finish(), None);
        for value in [1, 2, 3, (1 << 24) - 1] {
            partial.push(value);
        }
        let stats = partial.finish().unwrap();
        assert_eq!((stats.count, stats.min, stats.max), (4, 1, (1 << 24) - 1));
        assert_eq!(stats.histogram[0], 3);
        assert_eq!(stats.histogram[63], 1);
        assert_eq!(stats.histogram.len(), HISTOGRAM_BINS);

        let mut small = StatsPartial::default();
        for value in [1, 2, 3] {
            small.push(value);
        }
        let stats = small.finish().unwrap();
        assert_eq!(stats.mean, 2.0);
        assert!((stats.std_dev - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);

        let before = small.clone();
        small.merge(&StatsPartial::empty());
        assert_eq!(small, before);
    }

    #[test]
    fn stats_match_uniform_theory() {
        let job = job(Kernel::Stats, 1_000_000, 8);
        let result = combine(&job, &run_all(&job)).unwrap();
        let stats = result.stats.unwrap();
        let mean = f64::from(1u32 << 23);
        let sd = f64::from(1u32 << 24) / 12f64.sqrt();
        assert_eq!(stats.count, 1_000_000);
        assert!((stats.mean / mean - 1.0).abs() < 0.005, "{}", stats.mean);
        assert!(
            (stats.std_dev / sd - 1.0).abs() < 0.005,
            "{}",
            stats.std_dev
        );
        assert_eq!(stats.histogram.iter().sum::<u64>(), stats.count);
        assert!(stats.max < 1 << 24);
        // Every bin holds about 1/64 of the values.
        assert!(stats.histogram.iter().all(|&n| n.abs_diff(15_625) < 800));
    }

    #[test]
    fn data_values_are_splitmix64_top_24_bits() {
        // SplitMix64's first output from state 0 is 0xe220a8397b1dcdaf.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(data_value(0), (splitmix64(DATA_SEED) >> 40) as u32);
        assert_eq!(
            data_value(u64::MAX - DATA_SEED + 1),
            (0xE220_A839_7B1D_CDAF_u64 >> 40) as u32
        );
    }

    #[test]
    fn sha256_blocks_are_the_start_lab_chains() {
        let result = job(Kernel::Sha256, 2, 1).run_task(0).unwrap();
        let expected = (0..2)
            .map(|b| item_hash(u64::from(b), fnv1a(&sha256_chain(b, SHA_ROUNDS_PER_BLOCK))))
            .fold(0, u64::wrapping_add);
        assert_eq!(result.checksum, expected);
        assert_eq!(result.items, 512);
        assert_eq!((result.tile, result.partial), (None, None));
    }

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_F739_67E8);
    }

    /// Prints each kernel's single-thread time at its default size; run it in release.
    #[test]
    #[ignore = "calibration: cargo test --release -- --ignored --nocapture"]
    fn calibrate_default_sizes() {
        for kernel in Kernel::ALL {
            let size = kernel.size_field().default;
            let job = job(kernel, size, 1);
            let mut times = Vec::new();
            for _ in 0..3 {
                let start = std::time::Instant::now();
                let result = job.run_task(0).unwrap();
                times.push(start.elapsed().as_secs_f64());
                assert_eq!(result.items, job.items());
            }
            times.sort_by(f64::total_cmp);
            let split = Job::new(kernel, size, 64).unwrap();
            let start = std::time::Instant::now();
            let results = run_all(&split);
            let split_s = start.elapsed().as_secs_f64();
            let checksum = combine(&split, &results).unwrap().checksum;
            println!(
                "{:<10} size {:>9} {:>6}: {} {}, median of 3 = {:.3} s (64 tasks in a row: {:.3} s), checksum {checksum:016x}",
                kernel.name(),
                size,
                kernel.size_field().unit,
                job.items(),
                kernel.unit(),
                times[1],
                split_s,
            );
        }
    }
}
