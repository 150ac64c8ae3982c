import { useEffect, useState } from 'react';

export const THEME_KEY = 'starling.theme';
/** PatternFly 6 switches every colour token to its dark value under this class on <html>. */
export const DARK_CLASS = 'pf-v6-theme-dark';
const SYSTEM_DARK = '(prefers-color-scheme: dark)';

/** The user's own choice, if they made one here; else null. */
function stored(): boolean | null {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'dark' ? true : value === 'light' ? false : null;
  } catch {
    return null; // storage refused (private mode, policy): follow the system
  }
}

function systemDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(SYSTEM_DARK).matches;
}

/** Dark if the user chose it here, else if the operating system or browser prefers it. */
export function prefersDark(): boolean {
  return stored() ?? systemDark();
}

export function applyTheme(dark: boolean): void {
  document.documentElement.classList.toggle(DARK_CLASS, dark);
}

/**
 * The theme and a setter for the masthead's switch. Until the user flips the switch the console
 * follows the system's preference, also when it changes while the page is open (a desktop going
 * dark at sunset); a choice made here is remembered in this browser and wins from then on.
 */
export function useDarkTheme(): [boolean, (dark: boolean) => void] {
  const [dark, setDark] = useState(prefersDark);
  useEffect(() => applyTheme(dark), [dark]);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return undefined;
    const query = window.matchMedia(SYSTEM_DARK);
    const follow = (e: MediaQueryListEvent) => {
      if (stored() === null) setDark(e.matches);
    };
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const choose = (on: boolean) => {
    try {
      localStorage.setItem(THEME_KEY, on ? 'dark' : 'light');
    } catch {
      // not remembered, still applied
    }
    setDark(on);
  };
  return [dark, choose];
}
