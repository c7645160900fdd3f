use super::*;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_file_is_0600_and_an_existing_one_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.env");
    write_atomically(&path, b"NEW=1\n").unwrap();
    assert_eq!(mode(&path), 0o600);
    fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
    write_atomically(&path, b"NEW=2\n").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "NEW=2\n");
    assert_eq!(mode(&path), 0o640, "the administrator's mode is kept");
    assert_eq!(
        names(dir.path()),
        ["mail.env"],
        "no temporary file is left behind"
    );
}

#[test]
fn the_owner_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.env");
    fs::write(&path, "A=1\n").unwrap();
    let me = fs::metadata(&path).unwrap();
    // Only root can give a file away; as anyone else the owner is necessarily the same.
    let (uid, gid) = if me.uid() == 0 {
        (65534, 65534)
    } else {
        (me.uid(), me.gid())
    };
    std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
    write_atomically(&path, b"A=2\n").unwrap();
    let after = fs::metadata(&path).unwrap();
    assert_eq!((after.uid(), after.gid()), (uid, gid));
}

#[tokio::test]
async fn a_symlink_stays_a_link_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("config");
    fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("real.env");
    fs::write(&target, "OLD=1\n").unwrap();
    let link = dir.path().join("mail.env");
    std::os::unix::fs::symlink("config/real.env", &link).unwrap();
    let store = Store::new(link.clone());
    store.save("NEW=1\n".to_owned()).await.unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "NEW=1\n");
    assert_eq!(names(&real_dir), ["real.env"]);
}

#[tokio::test]
async fn a_dangling_symlink_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("mail.env");
    std::os::unix::fs::symlink("real.env", &link).unwrap();
    Store::new(link.clone())
        .save("A=1\n".to_owned())
        .await
        .unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("real.env")).unwrap(),
        "A=1\n"
    );
}

#[test]
fn stale_temp_files_of_this_page_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.env");
    let stale = dir.path().join(".mail.env.Ab12Cd.settings-page.tmp");
    fs::write(&stale, "MAIL_PASSWORD='left by a crash'\n").unwrap();
    // Somebody else's files look different and stay.
    fs::write(dir.path().join(".mail.env.swp"), "x").unwrap();
    fs::write(dir.path().join(".other.env.Ab12Cd.settings-page.tmp"), "x").unwrap();
    let _store = Store::new(path);
    assert_eq!(
        names(dir.path()),
        [".mail.env.swp", ".other.env.Ab12Cd.settings-page.tmp"]
    );
}

#[test]
fn a_failed_rename_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // A non-empty directory cannot be replaced by a file, even by root.
    let path = dir.path().join("taken");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("inside"), "x").unwrap();
    assert!(write_atomically(&path, b"NEW=2\n").is_err());
    assert_eq!(names(dir.path()), ["taken"]);
}

#[test]
fn a_symlink_loop_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    std::os::unix::fs::symlink("b", &a).unwrap();
    std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
    assert!(resolve(&a).is_err());
}
