//! macOS: observers on the distributed notification centre (`com.apple.screenIsLocked`) and on
//! `NSWorkspace.sharedWorkspace.notificationCenter` (sleep, fast user switching), for each name in
//! [`MAC_NOTIFICATIONS`]. They are delivered on the main operation queue, i.e. the main thread's run
//! loop that Tauri's event loop runs, and mapped back through [`mac_notification`].
//!
//! Compile-checked on Linux (`scripts/check-other-platforms.sh`), not run-tested.

use crate::signals::{mac_notification, MacCenter, MAC_NOTIFICATIONS};
use crate::{Buses, OnLock};
use block2::RcBlock;
use objc2::MainThreadMarker;
use objc2_app_kit::NSWorkspace;
use objc2_foundation::{
    NSDistributedNotificationCenter, NSNotification, NSNotificationCenter, NSOperationQueue,
    NSString,
};
use std::ptr::NonNull;
use std::sync::Arc;

pub(crate) fn watch(_buses: &Buses, on_lock: OnLock) -> Vec<String> {
    let mut problems = Vec::new();
    if MainThreadMarker::new().is_none() {
        // Distributed notifications reach the run loop of the thread that registered; a background
        // thread has none running.
        problems.push(
            "macOS: the lock watcher was started off the main thread, so the screen-lock \
             notification may not arrive"
                .to_string(),
        );
    }
    let distributed = NSDistributedNotificationCenter::defaultCenter();
    let workspace = NSWorkspace::sharedWorkspace().notificationCenter();
    let queue = NSOperationQueue::mainQueue();
    for (center, name, _) in MAC_NOTIFICATIONS {
        let notification_center: &NSNotificationCenter = match center {
            MacCenter::Distributed => &distributed,
            MacCenter::Workspace => &workspace,
        };
        let on_lock = Arc::clone(&on_lock);
        let block = RcBlock::new(move |notification: NonNull<NSNotification>| {
            // SAFETY: the centre passes a valid notification for the duration of the call.
            let name = unsafe { notification.as_ref() }.name().to_string();
            if let Some(reason) = mac_notification(center, &name) {
                on_lock(reason);
            }
        });
        // SAFETY: no sender object is filtered on, the main queue may run blocks, and the block only
        // touches `Send + Sync` state.
        let observer = unsafe {
            notification_center.addObserverForName_object_queue_usingBlock(
                Some(&NSString::from_str(name)),
                None,
                Some(&queue),
                &block,
            )
        };
        // Observed for the life of the process: the token would only be needed to stop observing.
        std::mem::forget(observer);
    }
    problems
}
