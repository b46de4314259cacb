// A large published catalogue for the discovery benchmark: `count` services with varied names,
// taglines, tags and descriptions, made from word lists with a seeded PRNG (the same seed gives
// the same catalogue), spread over the demo seed's categories (its top-level ones and the three
// sub-categories of Workplace), all five kinds, 1–3 plans each, owned by the demo seed's teams.
import { ServiceDocument, type ServiceDocumentInput, type ServiceKind } from '@portico/shared';

/** mulberry32: small, fast, and good enough to pick words. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(items: readonly T[], n: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
  return { next, int, pick, chance, some };
}

type Product = [name: string, tags: string[]];

interface CategorySpec {
  slug: string;
  team: string;
  /** Relative share of the services. */
  weight: number;
  kinds: ServiceKind[];
  icon: string;
  tags: string[];
  products: Product[];
}

// The demo seed's categories (apps/server/src/seed/demo-catalog.yaml), with what they hold.
const categories: CategorySpec[] = [
  {
    slug: 'compute',
    team: 'cloud-ops',
    weight: 10,
    kinds: ['cloud', 'cloud', 'legacy'],
    icon: '🖥️',
    tags: ['compute', 'iaas', 'server', 'host'],
    products: [
      ['Virtual Machine', ['vm', 'virtual server', 'linux', 'windows']],
      ['Linux VM', ['vm', 'linux', 'ubuntu', 'rhel', 'debian']],
      ['Windows VM', ['vm', 'windows', 'windows server', 'rdp']],
      ['GPU Server', ['gpu', 'cuda', 'nvidia', 'machine learning']],
      ['Bare-metal Server', ['physical', 'dedicated', 'rack']],
      ['Batch Compute Pool', ['batch', 'jobs', 'scheduler']],
      ['HPC Cluster Slot', ['hpc', 'slurm', 'cluster']],
      ['VMware Host', ['vmware', 'esxi', 'vsphere']],
      ['Mainframe LPAR', ['mainframe', 'z/os', 'cobol']],
      ['Jump Host', ['bastion', 'ssh', 'access']],
    ],
  },
  {
    slug: 'databases',
    team: 'data',
    weight: 10,
    kinds: ['cloud', 'cloud', 'legacy', 'people'],
    icon: '🗄️',
    tags: ['database', 'db', 'sql', 'data'],
    products: [
      ['Managed PostgreSQL', ['postgresql', 'postgres', 'pg', 'rdbms']],
      ['PostgreSQL Read Replica', ['postgresql', 'postgres', 'replica', 'read scaling']],
      ['Managed MySQL', ['mysql', 'mariadb', 'rdbms']],
      ['Redis Cache', ['redis', 'cache', 'key-value', 'in-memory']],
      ['MongoDB Cluster', ['mongodb', 'nosql', 'document store']],
      ['Oracle Database', ['oracle', 'rdbms', 'pl/sql']],
      ['SQL Server Instance', ['mssql', 'sql server', 'microsoft']],
      ['Elasticsearch Cluster', ['elasticsearch', 'opensearch', 'search', 'logs']],
      ['Cassandra Keyspace', ['cassandra', 'nosql', 'wide column']],
      ['DBA Support', ['dba', 'tuning', 'query review']],
      ['Database Migration', ['migration', 'upgrade', 'schema']],
    ],
  },
  {
    slug: 'storage',
    team: 'cloud-ops',
    weight: 9,
    kinds: ['cloud', 'cloud', 'legacy'],
    icon: '💾',
    tags: ['storage', 'data', 'capacity'],
    products: [
      ['Object Storage Bucket', ['s3', 'object storage', 'bucket', 'blob']],
      ['File Share', ['smb', 'nfs', 'file share', 'network drive']],
      ['Block Volume', ['block storage', 'ssd', 'disk', 'volume']],
      ['Backup', ['backup', 'restore', 'snapshot', 'retention']],
      ['Archive Storage', ['archive', 'cold storage', 'retention']],
      ['Tape Backup', ['tape', 'backup', 'offsite']],
      ['SAN LUN', ['san', 'fibre channel', 'lun']],
      ['NFS Export', ['nfs', 'unix', 'mount']],
      ['SFTP Drop Box', ['sftp', 'file transfer', 'partner exchange']],
    ],
  },
  {
    slug: 'containers',
    team: 'cloud-ops',
    weight: 9,
    kinds: ['cloud', 'cloud', 'saas'],
    icon: '☸️',
    tags: ['containers', 'platform', 'devops'],
    products: [
      ['Kubernetes Namespace', ['kubernetes', 'k8s', 'namespace', 'containers']],
      ['Kubernetes Cluster', ['kubernetes', 'k8s', 'cluster', 'aks', 'eks']],
      ['Container Registry', ['docker', 'oci', 'images', 'registry']],
      ['CI Runner', ['ci', 'gitlab', 'github actions', 'build agent']],
      ['Helm Chart Repository', ['helm', 'charts', 'kubernetes']],
      ['Service Mesh', ['istio', 'mtls', 'traffic']],
      ['App Hosting', ['paas', 'web app', 'deploy']],
      ['Serverless Functions', ['faas', 'lambda', 'functions', 'event-driven']],
      ['OpenShift Project', ['openshift', 'kubernetes', 'red hat']],
    ],
  },
  {
    slug: 'network',
    team: 'network',
    weight: 9,
    kinds: ['cloud', 'legacy', 'people'],
    icon: '🌐',
    tags: ['network', 'connectivity', 'access'],
    products: [
      ['Load Balancer', ['load balancer', 'lb', 'haproxy', 'traffic']],
      ['DNS Record', ['dns', 'domain', 'cname', 'hostname']],
      ['TLS Certificate', ['tls', 'ssl', 'certificate', 'https']],
      ['VPN Access', ['vpn', 'remote access', 'anyconnect', 'wireguard']],
      ['Firewall Rule', ['firewall', 'port', 'acl', 'rule']],
      ['Private Link', ['private endpoint', 'peering', 'vnet']],
      ['WAN Circuit', ['wan', 'mpls', 'branch office']],
      ['Guest Wi-Fi Access', ['wifi', 'wireless', 'guest']],
      ['Proxy Exception', ['proxy', 'allowlist', 'web filter']],
      ['IP Address Range', ['ipam', 'subnet', 'cidr']],
    ],
  },
  {
    slug: 'security',
    team: 'security',
    weight: 7,
    kinds: ['people', 'saas', 'cloud'],
    icon: '🛡️',
    tags: ['security', 'compliance', 'risk'],
    products: [
      ['Security Review', ['review', 'architecture', 'threat model']],
      ['Penetration Test', ['pentest', 'pen test', 'ethical hacking']],
      ['Secrets Vault', ['vault', 'secrets', 'keys', 'passwords']],
      ['Security Key', ['yubikey', 'fido2', 'mfa', '2fa']],
      ['Vulnerability Scan', ['vulnerability', 'scan', 'cve']],
      ['SIEM Log Source', ['siem', 'splunk', 'logs', 'soc']],
      ['Privileged Access', ['pam', 'admin access', 'break glass']],
      ['Code Scanning', ['sast', 'code review', 'dependencies']],
      ['Phishing Training', ['phishing', 'awareness', 'training']],
    ],
  },
  {
    slug: 'workplace',
    team: 'workplace',
    weight: 2,
    kinds: ['people', 'hardware'],
    icon: '🧑‍💼',
    tags: ['workplace', 'desk', 'office'],
    products: [
      ['Onboarding Bundle', ['onboarding', 'new starter', 'joiner']],
      ['Desk Move', ['move', 'relocation', 'office']],
      ['Leaver Kit Return', ['leaver', 'offboarding', 'return']],
      ['Meeting Room Setup', ['meeting room', 'av', 'screen']],
    ],
  },
  {
    slug: 'laptops-desktops',
    team: 'workplace',
    weight: 6,
    kinds: ['hardware'],
    icon: '💻',
    tags: ['device', 'computer', 'pc'],
    products: [
      ['Laptop', ['laptop', 'notebook', 'thinkpad', 'dell']],
      ['MacBook', ['macbook', 'mac', 'apple', 'laptop']],
      ['Developer Laptop', ['laptop', 'developer', '64 gb', 'linux']],
      ['Desktop PC', ['desktop', 'tower', 'pc']],
      ['Workstation', ['workstation', 'cad', 'gpu']],
      ['Thin Client', ['thin client', 'vdi', 'citrix']],
    ],
  },
  {
    slug: 'phones-tablets',
    team: 'workplace',
    weight: 5,
    kinds: ['hardware', 'hardware', 'saas'],
    icon: '📱',
    tags: ['mobile', 'device'],
    products: [
      ['Smartphone', ['phone', 'mobile', 'smartphone']],
      ['iPhone', ['iphone', 'apple', 'ios', 'phone']],
      ['Android Phone', ['android', 'samsung', 'pixel', 'phone']],
      ['Tablet', ['tablet', 'android', 'ipad']],
      ['iPad', ['ipad', 'apple', 'tablet']],
      ['Desk Phone', ['desk phone', 'voip', 'telephony']],
      ['Mobile Data Plan', ['sim', 'data plan', 'roaming', '5g']],
      ['eSIM Profile', ['esim', 'sim', 'mobile']],
    ],
  },
  {
    slug: 'accessories',
    team: 'workplace',
    weight: 5,
    kinds: ['hardware'],
    icon: '🎧',
    tags: ['accessory', 'desk', 'peripheral'],
    products: [
      ['Monitor', ['monitor', 'screen', 'display', '4k']],
      ['Headset', ['headset', 'headphones', 'noise cancelling']],
      ['Docking Station', ['dock', 'usb-c', 'thunderbolt']],
      ['Keyboard', ['keyboard', 'ergonomic']],
      ['Mouse', ['mouse', 'ergonomic', 'wireless']],
      ['Webcam', ['webcam', 'camera', 'video']],
      ['Standing Desk', ['desk', 'sit-stand', 'ergonomic']],
      ['Laptop Bag', ['bag', 'backpack', 'sleeve']],
    ],
  },
  {
    slug: 'software',
    team: 'service-desk',
    weight: 10,
    kinds: ['saas', 'saas', 'legacy'],
    icon: '🔑',
    tags: ['software', 'licence', 'license'],
    products: [
      ['Microsoft 365 Licence', ['microsoft 365', 'office', 'word', 'excel', 'outlook']],
      ['Adobe Acrobat Pro', ['adobe', 'pdf', 'acrobat']],
      ['Adobe Creative Cloud', ['adobe', 'photoshop', 'illustrator', 'design']],
      ['JetBrains IDE', ['jetbrains', 'intellij', 'pycharm', 'ide']],
      ['GitHub Copilot', ['github', 'copilot', 'ai', 'coding assistant']],
      ['Figma Seat', ['figma', 'design', 'prototyping']],
      ['Visio Licence', ['visio', 'diagrams', 'microsoft']],
      ['Tableau Desktop', ['tableau', 'bi', 'visualisation']],
      ['AutoCAD Licence', ['autocad', 'cad', 'autodesk']],
      ['Windows Licence', ['windows', 'microsoft', 'os']],
      ['Antivirus Exception', ['antivirus', 'endpoint', 'defender']],
    ],
  },
  {
    slug: 'collaboration',
    team: 'collaboration',
    weight: 8,
    kinds: ['saas', 'saas', 'legacy'],
    icon: '💬',
    tags: ['collaboration', 'communication', 'teamwork'],
    products: [
      ['Teams Channel', ['teams', 'chat', 'microsoft teams']],
      ['Shared Mailbox', ['mailbox', 'email', 'exchange', 'outlook']],
      ['Distribution List', ['mailing list', 'email', 'group']],
      ['Jira Project', ['jira', 'issues', 'tickets', 'agile']],
      ['Confluence Space', ['confluence', 'wiki', 'documentation']],
      ['Video Conference Room', ['video', 'zoom', 'meeting room']],
      ['Slack Workspace', ['slack', 'chat', 'channels']],
      ['Phone Number', ['telephony', 'did', 'phone number']],
      ['Room Calendar', ['calendar', 'booking', 'room']],
    ],
  },
  {
    slug: 'data-analytics',
    team: 'data',
    weight: 6,
    kinds: ['cloud', 'saas', 'people'],
    icon: '📊',
    tags: ['analytics', 'data', 'bi', 'reporting'],
    products: [
      ['Data Warehouse Schema', ['data warehouse', 'snowflake', 'sql', 'dwh']],
      ['Jupyter Notebook', ['jupyter', 'python', 'notebook', 'data science']],
      ['Power BI Workspace', ['power bi', 'dashboards', 'reports']],
      ['Dashboard', ['dashboard', 'grafana', 'kpi']],
      ['Kafka Topic', ['kafka', 'streaming', 'events']],
      ['ETL Pipeline', ['etl', 'airflow', 'pipeline', 'ingestion']],
      ['Data Lake Zone', ['data lake', 'parquet', 'lakehouse']],
      ['Report Development', ['report', 'analyst', 'requirements']],
    ],
  },
  {
    slug: 'expert-services',
    team: 'architecture',
    weight: 4,
    kinds: ['people'],
    icon: '🤝',
    tags: ['consulting', 'expert', 'advice'],
    products: [
      ['Solution Architecture Review', ['architecture', 'design review', 'adr']],
      ['Cloud Migration Workshop', ['cloud migration', 'workshop', 'lift and shift']],
      ['Training Course', ['training', 'course', 'learning']],
      ['Performance Tuning', ['performance', 'profiling', 'load test']],
      ['Cost Optimisation Review', ['finops', 'cost', 'savings']],
      ['Agile Coaching', ['agile', 'scrum', 'coaching']],
    ],
  },
];

const qualifiers = [
  'Standard',
  'Premium',
  'Basic',
  'High-availability',
  'Small',
  'Large',
  'Dev/Test',
  'Production',
  'Regional',
  'Managed',
  'Self-service',
  'Express',
  'Enterprise',
  'Team',
  'Shared',
  'Dedicated',
  'Secure',
  'Compliant',
  'Legacy',
  'Next-gen',
];
const regions = [
  'Frankfurt',
  'Amsterdam',
  'Dublin',
  'Paris',
  'Madrid',
  'Stockholm',
  'Warsaw',
  'Milan',
  'Zurich',
  'Vienna',
  'Lisbon',
  'Prague',
];
const audiences = [
  'Finance',
  'Engineering',
  'HR',
  'Sales',
  'Marketing',
  'Legal',
  'Research',
  'Operations',
  'Support',
  'Procurement',
];
const editions = ['v2', 'v3', '2025', '2026', 'Gen 2', 'Gen 3', 'Plus', 'Lite', 'Pro', 'XL'];

const benefits = [
  'ready the next business day',
  'set up and monitored for you',
  'with backups and patching included',
  'billed monthly to your cost centre',
  'with 24/7 support from the owning team',
  'compliant with the company security baseline',
  'sized for your workload, resizable any time',
  'delivered with a short handover call',
  'approved by your manager in one click',
  'with a named contact in the owning team',
];
const included = [
  'monitoring and alerting',
  'monthly patching',
  'encrypted at rest',
  'single sign-on',
  'daily backups kept for 30 days',
  'a named service owner',
  'audit logging',
  'a DNS name',
  'role-based access',
  'usage reports every month',
  'next-day replacement',
  'an onboarding session',
  'a runbook in the wiki',
  'capacity alerts',
  'cost reports per cost centre',
];
const goodFor = [
  'application servers and internal tools',
  'teams that need it quickly without a project',
  'short-lived test environments',
  'production workloads with an SLA',
  'data analysis and reporting',
  'new starters and people changing roles',
  'regulated data and audits',
  'prototypes and experiments',
  'customer-facing services',
  'remote and hybrid work',
];

const slaPresets = [
  {
    name: 'Business hours',
    availability: '99.5%',
    supportHours: 'Mon–Fri 08:00–18:00',
    responseHours: 8,
    resolutionHours: 40,
  },
  {
    name: 'Standard',
    availability: '99.9%',
    supportHours: 'Mon–Fri 07:00–20:00',
    responseHours: 4,
    resolutionHours: 16,
  },
  {
    name: 'Critical 24/7',
    availability: '99.95%',
    supportHours: '24/7',
    responseHours: 1,
    resolutionHours: 4,
  },
  {
    name: 'Best effort',
    availability: '99%',
    supportHours: 'Mon–Fri 09:00–17:00',
    responseHours: 24,
    resolutionHours: 80,
  },
];
const planNames: [slug: string, name: string][][] = [
  [['standard', 'Standard']],
  [
    ['small', 'Small'],
    ['large', 'Large'],
  ],
  [
    ['basic', 'Basic'],
    ['standard', 'Standard'],
    ['premium', 'Premium'],
  ],
  [
    ['single', 'Single user'],
    ['team', 'Team'],
  ],
  [
    ['small', 'Small'],
    ['medium', 'Medium'],
    ['large', 'Large'],
  ],
];

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

const money = (x: number) => x.toFixed(2);

/** A price band for the whole service, so every band of the price facet has services. */
function monthlyPrices(r: ReturnType<typeof prng>, n: number): number[] {
  const band = r.pick([
    [0, 0],
    [3, 49],
    [50, 199],
    [200, 499],
    [500, 2400],
  ] as const);
  const base = band[0] === 0 ? 0 : r.int(band[0], band[1]);
  return Array.from({ length: n }, (_, i) => (base === 0 ? 0 : Math.round(base * (1 + i * 0.8))));
}

/** The lead time band of the whole service: next day, a week, a month, longer. */
function leadTimes(r: ReturnType<typeof prng>, n: number): number[] {
  const base = r.pick([r.int(0, 1), r.int(2, 5), r.int(6, 20), r.int(21, 60)]);
  return Array.from({ length: n }, (_, i) => base + i * r.int(0, 2));
}

/**
 * `count` published services; deterministic for a seed. Slugs (and so names) are unique and
 * none is in `taken` (the demo catalogue's, which must stay as they are).
 */
export function generateServices(
  count: number,
  taken: Iterable<string> = [],
  seed = 20261124,
): ServiceDocument[] {
  const r = prng(seed);
  const totalWeight = categories.reduce((n, c) => n + c.weight, 0);
  const pickCategory = () => {
    let x = r.next() * totalWeight;
    for (const c of categories) if ((x -= c.weight) < 0) return c;
    return categories.at(-1)!;
  };
  const names = new Set<string>(taken);
  const out: ServiceDocument[] = [];
  while (out.length < count) {
    const c = pickCategory();
    const [product, productTags] = r.pick(c.products);
    const qualifier = r.chance(0.75) ? r.pick(qualifiers) : null;
    const region = r.chance(0.5) ? r.pick(regions) : null;
    const audience = !region && r.chance(0.4) ? r.pick(audiences) : null;
    const edition = r.chance(0.35) ? r.pick(editions) : null;
    const name = [
      qualifier,
      product,
      edition,
      region ? `– ${region}` : null,
      audience ? `for ${audience}` : null,
    ]
      .filter(Boolean)
      .join(' ');
    const slug = slugify(name);
    if (names.has(slug) || name.length > 100) continue;
    names.add(slug);

    const kind = r.pick(c.kinds);
    const tags = [
      ...new Set([
        ...r.some(productTags, r.int(2, productTags.length)),
        ...r.some(c.tags, r.int(1, 2)),
        ...(region ? [region.toLowerCase()] : []),
        ...(audience ? [audience.toLowerCase()] : []),
      ]),
    ];
    const what = `${qualifier ? `${qualifier.toLowerCase()} ` : ''}${product}`;
    const tagline = r.pick([
      `${product}${region ? ` in ${region}` : ''}, ${r.pick(benefits)}.`,
      `${article(what) === 'an' ? 'An' : 'A'} ${what} for ${audience ?? r.pick(['your team', 'your project', 'one person', 'a department'])}, ${r.pick(benefits)}.`,
      `${r.pick(['Order', 'Get', 'Request'])} ${article(what)} ${what}, ${r.pick(benefits)}.`,
    ]);
    const bullets = r
      .some(included, r.int(2, 4))
      .map((x) => `- ${x[0]!.toUpperCase()}${x.slice(1)}`)
      .join('\n');
    const description = [
      `${name} is run by the ${c.team} team${region ? ` from our ${region} site` : ''}: ${r.pick(benefits)}, ${r.pick(benefits)}.`,
      `Included:\n\n${bullets}`,
      `Good for ${r.pick(goodFor)} and ${r.pick(goodFor)}. Tags: ${tags.join(', ')}.`,
    ].join('\n\n');

    const names2 = r.pick(planNames);
    const monthly = monthlyPrices(r, names2.length);
    const lead = leadTimes(r, names2.length);
    const oneTime = kind === 'hardware' ? r.int(30, 2800) : kind === 'people' ? r.int(0, 6) * 500 : 0;
    const sla = r.pick(slaPresets);
    const input: ServiceDocumentInput = {
      slug,
      name,
      tagline,
      description,
      kind,
      icon: c.icon,
      category: c.slug,
      ownerTeam: c.team,
      tags,
      status: 'published',
      featured: r.chance(0.005),
      plans: names2.map(([slug, planName], i) => ({
        slug,
        name: planName,
        features: r.some(included, r.int(1, 3)),
        oneTimePrice: money(oneTime * (1 + i * 0.5)),
        monthlyPrice: money(monthly[i]!),
        leadTimeDays: lead[i]!,
        sla,
        fulfilment: {
          steps: [
            {
              type: 'manual',
              name: `Provide ${name}`,
              team: c.team,
              instructions: `Set up the ${planName} plan of ${name} as ordered and tell the requester how to use it.`,
            },
          ],
        },
      })),
    };
    out.push(ServiceDocument.parse(input));
  }
  return out;
}

/** Categories of the generated services, for listing by category (parents include children). */
export const benchCategories = categories.map((c) => c.slug);

/**
 * What people type: whole words, prefixes as they type, typos, two-word queries. Each is
 * expected to find something in the generated catalogue (the probe says how much).
 */
export const searchQueries = [
  'postgres',
  'postgress',
  'kubernets',
  'kube',
  'laptop',
  'vpn acc',
  'storage',
  'windows vm',
  'backup',
  'redis cache',
  'monitr',
  'ssl cert',
  'jira',
  'gpu',
  'file share',
  'phone',
  'firewall rule',
  'data warehouse',
  'adobe',
  'load balancer',
];
