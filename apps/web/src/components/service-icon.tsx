import type { ServiceKind } from '@portico/shared';

// The catalogue stores an icon per service/category. It may be an emoji already, or a
// short name ("server", "database"); names we know become an emoji, others a monogram.
const named: Record<string, string> = {
  server: '🖥️',
  vm: '🖥️',
  'virtual-machine': '🖥️',
  compute: '🖥️',
  cpu: '🧮',
  cloud: '☁️',
  database: '🗄️',
  db: '🗄️',
  storage: '💾',
  disk: '💾',
  'hard-drive': '💾',
  backup: '🛟',
  archive: '📦',
  box: '📦',
  package: '📦',
  container: '📦',
  kubernetes: '☸️',
  network: '🌐',
  globe: '🌐',
  dns: '🌐',
  wifi: '📶',
  vpn: '🔐',
  firewall: '🧱',
  shield: '🛡️',
  security: '🛡️',
  lock: '🔒',
  key: '🔑',
  certificate: '📜',
  laptop: '💻',
  computer: '💻',
  desktop: '🖥️',
  monitor: '🖥️',
  phone: '📱',
  smartphone: '📱',
  mobile: '📱',
  headset: '🎧',
  printer: '🖨️',
  keyboard: '⌨️',
  mouse: '🖱️',
  mail: '✉️',
  email: '✉️',
  chat: '💬',
  message: '💬',
  'message-square': '💬',
  video: '📹',
  calendar: '📅',
  users: '👥',
  people: '👥',
  user: '👤',
  'user-plus': '🧑‍💼',
  team: '👥',
  person: '👤',
  support: '🛠️',
  wrench: '🔧',
  tool: '🛠️',
  tools: '🛠️',
  code: '🧑‍💻',
  git: '🔀',
  'git-branch': '🔀',
  terminal: '⌨️',
  chart: '📊',
  analytics: '📊',
  'bar-chart': '📊',
  book: '📘',
  training: '🎓',
  'graduation-cap': '🎓',
  license: '🪪',
  app: '🧩',
  apps: '🧩',
  software: '🧩',
  puzzle: '🧩',
  sparkles: '✨',
  ai: '✨',
  bot: '🤖',
  gpu: '⚡',
  zap: '⚡',
  bolt: '⚡',
  file: '📄',
  folder: '📁',
  files: '🗂️',
  search: '🔎',
  rocket: '🚀',
  building: '🏢',
  office: '🏢',
  legacy: '🏛️',
  hardware: '🔌',
  saas: '🧩',
};

function toGlyph(icon: string): string | null {
  if (!icon) return null;
  if (/[^\x20-\x7e]/.test(icon)) return icon; // already an emoji/symbol
  const key = icon
    .trim()
    .toLowerCase()
    .replace(/^(lucide|mdi|fa|icon)[-:]/, '');
  return named[key] ?? named[key.replace(/s$/, '')] ?? null;
}

interface ServiceIconProps {
  icon: string;
  name: string;
  kind?: ServiceKind;
  size?: 'sm' | 'md' | 'lg';
}

export function ServiceIcon({ icon, name, kind, size = 'md' }: ServiceIconProps) {
  const glyph = toGlyph(icon);
  return (
    <span
      className={`service-icon service-icon--${size}${kind ? ` kind-tint--${kind}` : ''}`}
      aria-hidden="true"
    >
      {glyph ?? name.trim().charAt(0).toUpperCase()}
    </span>
  );
}
