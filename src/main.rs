/// mimalloc instead of the system allocator: replaying a round allocates many
/// small strings and vectors (parsed findings, report text), and mimalloc's
/// per-thread free lists make that about a tenth of `check` cheaper than glibc's
/// malloc (see the README's Performance section). Built without transparent huge
/// pages (`no_thp` in Cargo.toml): with them, memory it returned and took back was
/// zeroed 2 MB at a time, and parsing one 50 MB review spent half its time there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    review_replay::run(std::env::args_os())
}
