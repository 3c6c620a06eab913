/**
 * Styles of the launcher and of the frame the panel opens in, inside the loader's shadow root.
 * Plain text, one rule per line: this script is on every page of the site, so every byte counts.
 * The frame only places the panel; `<charla-webchat>` draws the chat itself.
 */
export const loaderStyles = `
.root{--_primary:var(--charla-webchat-primary,var(--charla-color-primary,#4f46e5));--_on-primary:var(--charla-webchat-on-primary,var(--charla-color-primary-text,#fff));--_gap:20px;position:fixed;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#16181d}
.launcher{position:fixed;bottom:var(--_gap);right:var(--_gap);display:flex;align-items:center;justify-content:center;gap:8px;min-width:60px;height:60px;margin:0;padding:0 16px;border:0;border-radius:30px;background:var(--_primary);color:var(--_on-primary);font:inherit;font-size:15px;font-weight:600;box-shadow:0 6px 20px rgb(15 18 30/.24),0 2px 6px rgb(15 18 30/.12);cursor:pointer;transition:transform .2s,box-shadow .2s}
.launcher:hover{transform:scale(1.05);box-shadow:0 10px 28px rgb(15 18 30/.28),0 2px 6px rgb(15 18 30/.12)}
.launcher:active{transform:scale(.97)}
.launcher:focus-visible{outline:3px solid var(--_primary);outline-offset:3px}
.icon{display:grid;width:28px;height:28px}
.icon svg{grid-area:1/1;transition:transform .25s,opacity .2s}
.when-open,.open .when-closed{opacity:0;transform:rotate(-90deg) scale(.6)}
.open .when-open{opacity:1;transform:none}
.open .label{display:none}
.badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border:2px solid #fff;border-radius:11px;background:#e11d48;color:#fff;font-size:12px;font-weight:700;line-height:18px;text-align:center}
.badge[hidden],.launcher[hidden]{display:none}
.panel{position:fixed;bottom:calc(var(--_gap) + 76px);right:var(--_gap);width:380px;max-width:calc(100vw - 2*var(--_gap));height:min(640px,calc(100vh - var(--_gap) - 100px));border-radius:16px;opacity:0;visibility:hidden;transform:translateY(12px) scale(.98);transform-origin:bottom right;transition:opacity .2s,transform .2s,visibility 0s .2s}
.open .panel{opacity:1;visibility:visible;transform:none;transition:opacity .2s,transform .2s}
.left .launcher,.left .panel{right:auto;left:var(--_gap);transform-origin:bottom left}
.loading,.failed{display:grid;place-items:center;padding:32px;background:#fff;box-shadow:0 16px 48px rgb(15 18 30/.18);text-align:center}
.dark .loading,.dark .failed{background:#17181c;color:#f3f4f6}
.loading::after{content:'';width:28px;height:28px;border:3px solid rgb(128 128 128/.25);border-top-color:var(--_primary);border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
@media (prefers-color-scheme:dark){.auto .loading,.auto .failed{background:#17181c;color:#f3f4f6}}
@media (max-width:640px){.panel{inset:0;width:100%;max-width:none;height:100%;border-radius:0}.open .launcher{display:none}}
@media (prefers-reduced-motion:reduce){.launcher,.icon svg,.panel,.open .panel{transition:none}.loading::after{animation-duration:2s}}
`;
