/**
 * A public touch terminal: no context menu (long press), no pinch or double-tap zoom, no text
 * selection (set in CSS). Returns a function that undoes it.
 */
export function hardenTerminal(): () => void {
	const preventDefault = (event: Event) => event.preventDefault();
	const preventPinch = (event: TouchEvent) => {
		if (event.touches.length > 1) event.preventDefault();
	};
	const preventCtrlZoom = (event: WheelEvent) => {
		if (event.ctrlKey) event.preventDefault();
	};
	document.addEventListener('contextmenu', preventDefault);
	document.addEventListener('gesturestart', preventDefault);
	document.addEventListener('touchmove', preventPinch, { passive: false });
	document.addEventListener('wheel', preventCtrlZoom, { passive: false });
	return () => {
		document.removeEventListener('contextmenu', preventDefault);
		document.removeEventListener('gesturestart', preventDefault);
		document.removeEventListener('touchmove', preventPinch);
		document.removeEventListener('wheel', preventCtrlZoom);
	};
}
