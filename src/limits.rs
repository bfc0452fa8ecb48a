//! Process limits. The server and the load tool each hold one file descriptor per
//! WebSocket, so both raise the soft open-files limit to the hard one at start.

/// Raises the soft `RLIMIT_NOFILE` to the hard limit and returns `(soft, hard)` as they now
/// stand. Cheap (two system calls); a no-op where the platform has no such limit.
pub fn raise_open_files() -> std::io::Result<(u64, u64)> {
    let (_, hard) = rlimit::Resource::NOFILE.get()?;
    rlimit::increase_nofile_limit(hard)?;
    rlimit::Resource::NOFILE.get()
}
