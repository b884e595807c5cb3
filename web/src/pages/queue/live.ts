import { onUnmounted, ref } from 'vue';
import type { DisplayCall, DisplayState, WaitingCount } from '@shared/queue/schemas.ts';
import { API_BASE } from '@/api';

export interface StreamHandlers {
  onCall?: (call: DisplayCall) => void;
  onState?: (state: DisplayState) => void;
  onWaiting?: (waiting: WaitingCount[]) => void;
}

/**
 * The hall's live queue events (Server-Sent Events), closed with the component. EventSource reconnects
 * by itself after a network drop; the server then sends the full state first, so nothing is stale.
 */
export function useQueueStream(handlers: StreamHandlers, options: { window?: string; hall?: string } = {}) {
  const connected = ref(false);
  const params = new URLSearchParams();
  if (options.window) params.set('window', options.window);
  if (options.hall) params.set('hall', options.hall);
  const search = params.toString();
  const source = new EventSource(`${API_BASE}/display/stream${search ? `?${search}` : ''}`);
  source.onopen = () => (connected.value = true);
  source.onerror = () => (connected.value = false);
  const on = <T>(event: string, handler?: (data: T) => void) => {
    if (handler) source.addEventListener(event, (e) => handler(JSON.parse((e as MessageEvent<string>).data) as T));
  };
  on<DisplayCall>('call', handlers.onCall);
  on<DisplayState>('state', handlers.onState);
  on<{ waiting: WaitingCount[] }>('waiting', handlers.onWaiting && ((d) => handlers.onWaiting!(d.waiting)));
  onUnmounted(() => source.close());
  return { connected };
}

/** `09:15` from an instant the server gave in hall time (`2025-09-30T09:15:00+08:00`). */
export const clockTime = (iso: string | null | undefined) => (iso ? iso.slice(11, 16) : '');

/** A two-note chime: the hall hears that a call follows before the voice starts. */
function chime(audio: AudioContext): Promise<void> {
  const start = audio.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + i * 0.45);
    gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.45 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.45 + 0.42);
    osc.connect(gain).connect(audio.destination);
    osc.start(start + i * 0.45);
    osc.stop(start + i * 0.45 + 0.45);
  }
  return new Promise((resolve) => setTimeout(resolve, 950));
}

function speak(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!('speechSynthesis' in window)) return resolve();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = 'zh-CN';
    utterance.rate = 0.9;
    const voice = speechSynthesis.getVoices().find((v) => v.lang.replace('_', '-').startsWith('zh-CN'));
    if (voice) utterance.voice = voice;
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    speechSynthesis.speak(utterance);
    // A browser without a Chinese voice may never end the utterance: never block the next call.
    setTimeout(resolve, 8000);
  });
}

/**
 * Announces calls one after another (chime, then the sentence twice, as halls do). Browsers allow sound
 * only after a click on the page: call `enable()` from that click.
 */
export function useAnnouncer(sentence: (call: DisplayCall) => string) {
  const enabled = ref(false);
  let audio: AudioContext | null = null;
  let chain: Promise<void> = Promise.resolve();
  return {
    enabled,
    enable() {
      audio ??= new AudioContext();
      void audio.resume();
      enabled.value = true;
    },
    announce(call: DisplayCall) {
      if (!enabled.value || !audio) return;
      const text = sentence(call);
      const ctx = audio;
      chain = chain.then(async () => {
        await chime(ctx);
        await speak(text);
        await speak(text);
      });
    },
  };
}
