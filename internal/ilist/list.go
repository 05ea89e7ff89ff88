package ilist

// Links is an element's place in a List. The element type holds one as a
// field and returns it from its ListLinks method.
type Links[T any] struct {
	prev, next *T
}

// Elem is what a List holds: a pointer to T that gives T's Links.
type Elem[T any] interface {
	*T
	ListLinks() *Links[T]
}

// List is a list of *T in the order they were added, threaded through the
// elements' own Links. Its zero value is empty. It is not safe for
// concurrent use: its owner's lock guards it, and the elements' Links.
type List[T any, P Elem[T]] struct {
	head, tail *T
}

// PushBack adds e, which is in no list, at the end.
func (l *List[T, P]) PushBack(e *T) {
	k := P(e).ListLinks()
	k.prev, k.next = l.tail, nil
	if l.tail != nil {
		P(l.tail).ListLinks().next = e
	} else {
		l.head = e
	}
	l.tail = e
}

// Remove takes e, which is in l, out of it.
func (l *List[T, P]) Remove(e *T) {
	k := P(e).ListLinks()
	if k.prev != nil {
		P(k.prev).ListLinks().next = k.next
	} else {
		l.head = k.next
	}
	if k.next != nil {
		P(k.next).ListLinks().prev = k.prev
	} else {
		l.tail = k.prev
	}
	k.prev, k.next = nil, nil
}

// Front returns the first element, or nil if l is empty.
func (l *List[T, P]) Front() *T { return l.head }

// Next returns the element after e in its list, or nil.
func (l *List[T, P]) Next(e *T) *T { return P(e).ListLinks().next }
