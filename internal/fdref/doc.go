// Package fdref counts the goroutines using a file descriptor so that it
// is closed only once nobody uses it, without a lock held across their
// system calls.
//
// Each use takes a reference (Ref.Acquire) and drops it afterwards
// (Ref.Release); closing (Ref.MarkClosing) only refuses new references.
// Exactly one of MarkClosing or the last Release reports that the
// descriptor is now unused, and its caller closes it (or starts whatever
// tear-down precedes that). The descriptor number therefore cannot be
// reused while a system call might still name it. The reactor and the
// blocking facade both guard their descriptors with it.
package fdref
