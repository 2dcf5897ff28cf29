//! The first pass over a big file: read once, in three stages that overlap.
//!
//! A reader thread reads 8 MiB windows ahead; this thread cuts each window into chunks (the
//! one step that cannot be split: a cut depends on everything since the last one); and
//! rayon's threads, behind it, compute the chaining values of the window's blocks and hash
//! and store its chunks. Windows come from a pool of five buffers, so memory stays flat
//! (about 60 MiB) whatever the file's size.

use std::os::unix::fs::FileExt;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use blake3::hazmat::ChainingValue;
use rayon::prelude::*;

use super::chunk::{BLOCK, ChunkRef, MAX, block_cv, root_hash};
use super::chunking::Writer;
use super::{ObjectId, Result};

const WINDOW: usize = 8 << 20;
const BUFFERS: usize = 5;

/// A window of the file, read after `MAX` bytes of headroom where the previous window's
/// uncut tail is copied.
struct Window {
    buf: Vec<u8>,
    /// File offset of `buf[MAX]`.
    off: u64,
    /// Bytes read at `buf[MAX..]`.
    fresh: usize,
}

/// A cut window on its way to be hashed and stored.
struct Job {
    window: Window,
    /// Where the cut data starts in `buf` (at or before `MAX`).
    from: usize,
    /// Chunk lengths, in order from `from`.
    cuts: Vec<usize>,
}

impl Writer<'_> {
    /// Chunks the whole file and returns its id and its blocks' chaining values.
    pub(super) fn all(&mut self) -> Result<(ObjectId, Vec<ChainingValue>)> {
        let (file, len) = (self.file, self.len);
        let (store, batch) = (self.store, self.batch);
        let (free_tx, free_rx) = sync_channel::<Vec<u8>>(BUFFERS);
        for _ in 0..BUFFERS {
            free_tx.send(Vec::new()).expect("the receiver is here");
        }
        let (read_tx, read_rx) = sync_channel::<std::io::Result<Window>>(1);
        let (job_tx, job_rx) = sync_channel::<Job>(1);
        std::thread::scope(|s| {
            s.spawn(move || read_ahead(file, len, &free_rx, &read_tx));
            // Its own two threads: behind the global pool's queue (an `add` hashing
            // thousands of small files at the same time) the pipeline would stall.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .thread_name(|i| format!("pach-chunks-{i}"))
                .build()
                .ok();
            let storing = s.spawn(move || match &pool {
                Some(pool) => pool.install(move || store_jobs(store, batch, &job_rx, &free_tx)),
                None => store_jobs(store, batch, &job_rx, &free_tx),
            });
            let cut = self.cut_windows(&read_rx, &job_tx);
            drop(job_tx);
            drop(read_rx);
            let stored = storing.join().expect("storing does not panic");
            cut?;
            let (chunks, cvs) = stored?;
            self.chunks = chunks;
            self.pos = len;
            Ok((ObjectId::from_hash(root_hash(&cvs, len)), cvs))
        })
    }

    /// Cuts windows as they arrive; each goes on once the next has taken its uncut tail.
    fn cut_windows(
        &self,
        windows: &Receiver<std::io::Result<Window>>,
        jobs: &SyncSender<Job>,
    ) -> Result<()> {
        let mut held: Option<(Job, usize)> = None; // a cut window and where its tail starts
        for w in windows {
            let mut w = w.map_err(|e| self.read_err(e))?;
            let mut from = MAX;
            if let Some((job, tail)) = held.take() {
                let tail_len = MAX + job.window.fresh - tail;
                from = MAX - tail_len;
                w.buf[from..MAX].copy_from_slice(&job.window.buf[tail..MAX + job.window.fresh]);
                if jobs.send(job).is_err() {
                    return Ok(()); // the storing side failed; it reports why
                }
            }
            let eof = w.off + w.fresh as u64 == self.len;
            let end = MAX + w.fresh;
            let mut at = from;
            let mut cuts = Vec::new();
            while at < end && (eof || end - at >= MAX) {
                let n = self.cutter.next(&w.buf[at..end]);
                cuts.push(n);
                at += n;
            }
            held = Some((
                Job {
                    window: w,
                    from,
                    cuts,
                },
                at,
            ));
        }
        if let Some((job, _)) = held {
            let _ = jobs.send(job);
        }
        Ok(())
    }
}

/// Reads windows in order into free buffers.
fn read_ahead(
    file: &std::fs::File,
    len: u64,
    free: &Receiver<Vec<u8>>,
    out: &SyncSender<std::io::Result<Window>>,
) {
    let mut off = 0u64;
    while off < len {
        let Ok(mut buf) = free.recv() else { return };
        let fresh = WINDOW.min((len - off) as usize);
        buf.resize(MAX + WINDOW, 0);
        let read = file
            .read_exact_at(&mut buf[MAX..MAX + fresh], off)
            .map(|()| Window { buf, off, fresh });
        let failed = read.is_err();
        if out.send(read).is_err() || failed {
            return;
        }
        off += fresh as u64;
    }
}

/// Hashes and stores the chunks of each job, and the chaining values of its blocks; returns
/// them all in order.
fn store_jobs(
    store: &super::Store,
    batch: &super::Batch,
    jobs: &Receiver<Job>,
    free: &SyncSender<Vec<u8>>,
) -> Result<(Vec<ChunkRef>, Vec<ChainingValue>)> {
    let (mut chunks, mut cvs) = (Vec::new(), Vec::new());
    for job in jobs {
        let w = &job.window;
        let first = w.off / BLOCK;
        let mut spans = Vec::with_capacity(job.cuts.len());
        let mut at = job.from;
        for n in &job.cuts {
            spans.push(at..at + n);
            at += n;
        }
        let (blocks, stored) = rayon::join(
            || {
                w.buf[MAX..MAX + w.fresh]
                    .par_chunks(BLOCK as usize)
                    .enumerate()
                    .map(|(i, b)| block_cv(first + i as u64, b))
                    .collect::<Vec<_>>()
            },
            || {
                spans
                    .par_iter()
                    .map(|r| {
                        let bytes = &w.buf[r.clone()];
                        let id = ObjectId::of(bytes);
                        store.put_known(&id, bytes, batch)?;
                        Ok(ChunkRef {
                            id,
                            len: bytes.len() as u64,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            },
        );
        cvs.extend(blocks);
        chunks.extend(stored?);
        let _ = free.send(job.window.buf);
    }
    Ok((chunks, cvs))
}
