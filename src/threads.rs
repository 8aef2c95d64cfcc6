//! How the background threads ask the scheduler to keep the UI thread first: the loader's
//! threads run at the lowest priority, and the search worker never takes the UI thread's
//! core at the moment the UI thread hands it work. Linux only; elsewhere, and when the
//! kernel refuses, threads run as spawned. Memory the loader allocated is freed away from
//! the UI thread ([`drop_elsewhere`]). Background threads wake the UI thread when they have
//! something for it ([`Waker`]), rather than leave it to find out at its next look.

/// The nice value of the loader's threads: parsing uses every core, but a key press must
/// never wait behind it, so the UI thread (and the search worker) come first when they need
/// a core. Without it, a UI turn of 5 ms CPU took 10-40 ms of wall time at 100k papers; at
/// nice 10, batches of 0.5-3 ms CPU still took 9-22 ms of wall time at 1M (UI blocked up to
/// 31 ms); at 19 the longest turn was 14 ms, the load no slower.
const LOADER_NICE: libc::c_int = 19;

/// Lowers the calling thread's scheduling priority (Linux: nice is per thread). Best effort.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority on the calling thread; no memory is touched.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid);
        if let Ok(tid) = libc::id_t::try_from(tid) {
            libc::setpriority(libc::PRIO_PROCESS, tid, LOADER_NICE);
        }
    }
}

/// Puts the calling thread in the batch class: as fair a share of the cores as before, but
/// waking it never preempts the thread running. For the search worker: while loading, the
/// UI thread hands it each turn's docs, and the scheduler let the woken worker take the UI
/// thread's core at once (the other held a parse thread), holding the turn up to 10 ms at a
/// million papers. Best effort.
pub fn no_wakeup_preemption() {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_setscheduler on the calling thread (pid 0) with a valid parameter.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        libc::sched_setscheduler(0, libc::SCHED_BATCH, &param);
    }
}

/// Tells the UI thread, waiting for a key, that a background thread has sent it something
/// (search results, loaded papers), so that it takes it now rather than when its wait runs
/// out: search results were shown up to 15 ms after the worker had them (its wait while a
/// search runs), and a load's last papers up to 5 ms after they were parsed. The default
/// wakes nothing (tests, `tomes` subcommands with no loop to wake).
#[derive(Clone, Default)]
pub struct Waker(Option<std::sync::Arc<dyn Fn() + Send + Sync>>);

impl Waker {
    /// A waker that calls `wake` (which must not block).
    pub fn new(wake: impl Fn() + Send + Sync + 'static) -> Waker {
        Waker(Some(std::sync::Arc::new(wake)))
    }

    pub fn wake(&self) {
        if let Some(wake) = &self.0 {
            wake();
        }
    }
}

/// Something sent to the reaper thread to be dropped there.
type Spent = Box<dyn Send>;

/// Drops `value` on a thread of its own instead of the caller's. For the UI thread, handed
/// buffers a loader thread allocated (a batch's papers and docs): freeing them returns
/// memory to the loader thread's jemalloc arena, under that arena's lock. A loader thread
/// at the lowest priority could hold the lock and lose its core, and the UI thread then
/// slept until it ran again: 20-30 such sleeps in a load of a million papers, one of them
/// a turn of 35 ms. The reaper may sleep there instead. Nothing waits for it, so it runs
/// at the loader's lowest priority and in the batch class: it neither takes the UI
/// thread's core when woken nor keeps it from one while freeing a batch (at nice 0 it
/// was one more thread the UI thread shared the cores with). Drops in place if the thread
/// cannot be had.
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    static REAPER: std::sync::OnceLock<Option<std::sync::mpsc::Sender<Spent>>> =
        std::sync::OnceLock::new();
    let reaper = REAPER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Spent>();
        std::thread::Builder::new()
            .name("tomes-reaper".into())
            .spawn(move || {
                no_wakeup_preemption();
                lower_priority();
                for spent in rx {
                    drop(spent);
                }
            })
            .ok()
            .map(|_| tx)
    });
    match reaper {
        Some(tx) => {
            // Sent back (and dropped here) only if the reaper is gone.
            let _ = tx.send(Box::new(value));
        }
        None => drop(value),
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// Field `field` (numbered as in proc(5)) of the stat of this process's thread named
    /// `name`.
    fn stat_of<T: std::str::FromStr>(name: &str, field: usize) -> Option<T> {
        for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim_end() != name {
                continue;
            }
            let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
            // Fields after the command name (field 2), which is in parentheses and may hold
            // spaces.
            let after = &stat[stat.rfind(')')? + 2..];
            return after.split(' ').nth(field - 3)?.parse().ok();
        }
        None
    }

    /// The scheduling policy of this process's thread named `name`.
    fn policy_of(name: &str) -> Option<u32> {
        stat_of(name, 41)
    }

    /// The nice value of this process's thread named `name`.
    fn nice_of(name: &str) -> Option<i64> {
        stat_of(name, 19)
    }

    #[test]
    fn the_search_worker_is_in_the_batch_class() {
        let _worker = crate::search::SearchWorker::spawn();
        // The worker sets its class as it starts: wait for it, not for a time.
        let mut policy = None;
        for _ in 0..500 {
            policy = policy_of("tomes-search");
            if policy == Some(libc::SCHED_BATCH as u32) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(policy, Some(libc::SCHED_BATCH as u32));
    }

    #[test]
    fn the_reaper_runs_at_the_loaders_priority() {
        super::drop_elsewhere(0u8);
        // The reaper lowers its priority as it starts: wait for it, not for a time.
        let mut nice = None;
        for _ in 0..500 {
            nice = nice_of("tomes-reaper");
            if nice == Some(i64::from(super::LOADER_NICE)) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(nice, Some(i64::from(super::LOADER_NICE)));
    }

    #[test]
    fn what_is_dropped_elsewhere_is_dropped_on_the_reaper_thread() {
        struct Witness(std::sync::mpsc::Sender<Option<String>>);
        impl Drop for Witness {
            fn drop(&mut self) {
                let name = std::thread::current().name().map(str::to_owned);
                let _ = self.0.send(name);
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        super::drop_elsewhere(Witness(tx));
        let dropped_on = rx.recv_timeout(std::time::Duration::from_secs(30));
        assert_eq!(dropped_on, Ok(Some("tomes-reaper".to_owned())));
    }
}
