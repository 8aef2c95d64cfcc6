//! The `tomes` binary: parses the command line and hands over to the library crate.

/// jemalloc, not glibc's malloc: loader threads allocate the papers the UI thread merges
/// and frees, and glibc frees another thread's memory under that thread's arena lock. With
/// the loader at the lowest priority, the UI thread waited 5-11 ms on such locks while a
/// million papers loaded. jemalloc returns other threads' memory through its own caches.
/// Measured at 100k papers: load CPU 4.7-6.1 -> 3.5-3.9 s, peak RSS 697 -> 640 MB.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    tomes::cli::run()
}
