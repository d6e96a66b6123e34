/** Word lists the seed builds product names and descriptions from. Prices are EUR cents. */
export interface SeedCategory {
  slug: string;
  name: string;
  nouns: string[];
  features: string[];
  materials: string[];
  priceCents: [min: number, max: number];
}

export const SEED_CATEGORIES: SeedCategory[] = [
  {
    slug: 'audio',
    name: 'Audio',
    nouns: ['Headphones', 'Earbuds', 'Bluetooth Speaker', 'Soundbar', 'Turntable', 'Headset', 'Amplifier'],
    features: ['Active noise cancelling', '30 hours of battery life', 'Low-latency Bluetooth 5.3', 'Deep, tight bass'],
    materials: ['brushed aluminium', 'recycled plastic', 'memory foam and leather', 'walnut veneer'],
    priceCents: [1999, 39999],
  },
  {
    slug: 'computers',
    name: 'Computers',
    nouns: [
      'Laptop Stand',
      'Mechanical Keyboard',
      'Wireless Mouse',
      'USB-C Hub',
      'Monitor',
      'Webcam',
      'Docking Station',
    ],
    features: ['Plug and play on every OS', 'Aluminium unibody', 'Hot-swappable switches', '4K at 60 Hz'],
    materials: ['anodised aluminium', 'PBT plastic', 'recycled ABS', 'stainless steel'],
    priceCents: [1499, 89999],
  },
  {
    slug: 'phones',
    name: 'Phones & Accessories',
    nouns: ['Phone Case', 'Screen Protector', 'Charging Cable', 'Power Bank', 'Wireless Charger', 'Car Mount'],
    features: ['Drop-tested to 3 metres', 'Fast charging up to 65 W', 'MagSafe compatible', 'Tempered glass'],
    materials: ['shock-absorbing TPU', 'tempered glass', 'braided nylon', 'vegan leather'],
    priceCents: [799, 7999],
  },
  {
    slug: 'kitchen',
    name: 'Kitchen',
    nouns: ['Chef Knife', 'Cast Iron Pan', 'Coffee Grinder', 'Kettle', 'Cutting Board', 'Espresso Machine', 'Blender'],
    features: ['Dishwasher safe', 'Forged from one piece of steel', 'Keeps heat evenly', 'Induction ready'],
    materials: ['German stainless steel', 'cast iron', 'oiled beech', 'borosilicate glass'],
    priceCents: [999, 59999],
  },
  {
    slug: 'home',
    name: 'Home & Living',
    nouns: ['Desk Lamp', 'Throw Blanket', 'Scented Candle', 'Wall Clock', 'Cushion', 'Plant Pot', 'Floor Rug'],
    features: ['Warm dimmable light', 'Hand-woven', 'Made from recycled fibres', 'Fits any interior'],
    materials: ['organic cotton', 'hand-thrown ceramic', 'oak', 'wool felt'],
    priceCents: [899, 24999],
  },
  {
    slug: 'outdoor',
    name: 'Sports & Outdoors',
    nouns: ['Hiking Backpack', 'Tent', 'Sleeping Bag', 'Water Bottle', 'Trekking Poles', 'Headlamp', 'Camping Stove'],
    features: ['Waterproof to 3000 mm', 'Weighs under a kilo', 'Packs down small', 'Built for four seasons'],
    materials: ['ripstop nylon', 'recycled polyester', 'titanium', 'aluminium alloy'],
    priceCents: [1299, 44999],
  },
  {
    slug: 'fitness',
    name: 'Fitness',
    nouns: ['Yoga Mat', 'Dumbbell Set', 'Resistance Bands', 'Jump Rope', 'Foam Roller', 'Kettlebell'],
    features: ['Non-slip surface', 'Sweat resistant', 'Includes a training plan', 'Space-saving design'],
    materials: ['natural rubber', 'cast iron', 'cork', 'latex-free TPE'],
    priceCents: [999, 19999],
  },
  {
    slug: 'garden',
    name: 'Garden',
    nouns: ['Garden Hose', 'Pruning Shears', 'Watering Can', 'Raised Bed', 'Bird Feeder', 'Solar Lantern'],
    features: ['Rust-proof', 'UV resistant', 'Ergonomic grip', 'Weatherproof all year'],
    materials: ['galvanised steel', 'UV-stable plastic', 'larch wood', 'powder-coated steel'],
    priceCents: [699, 14999],
  },
  {
    slug: 'toys',
    name: 'Toys & Games',
    nouns: ['Board Game', 'Puzzle', 'Building Blocks', 'Plush Bear', 'Remote Control Car', 'Card Game'],
    features: ['For ages 6 and up', 'Two to six players', 'Over 1000 pieces', 'No batteries needed'],
    materials: ['FSC-certified wood', 'recycled cardboard', 'soft plush', 'BPA-free plastic'],
    priceCents: [599, 12999],
  },
  {
    slug: 'books',
    name: 'Books',
    nouns: ['Cookbook', 'Travel Guide', 'Notebook', 'Sketchbook', 'Novel', 'Field Guide'],
    features: ['Hardcover', 'Lay-flat binding', 'Illustrated throughout', 'Printed on acid-free paper'],
    materials: ['recycled paper', 'linen cloth', 'thick cream paper', 'acid-free paper'],
    priceCents: [499, 4999],
  },
  {
    slug: 'fashion',
    name: 'Fashion',
    nouns: ['Rain Jacket', 'Wool Scarf', 'Leather Belt', 'Sneakers', 'Beanie', 'Canvas Tote', 'Sunglasses'],
    features: ['Machine washable', 'Ethically made', 'Unisex fit', 'Lifetime repair service'],
    materials: ['merino wool', 'full-grain leather', 'organic cotton canvas', 'recycled nylon'],
    priceCents: [1499, 29999],
  },
  {
    slug: 'pets',
    name: 'Pets',
    nouns: ['Dog Bed', 'Cat Tree', 'Leash', 'Food Bowl', 'Chew Toy', 'Pet Carrier'],
    features: ['Easy to clean', 'Chew resistant', 'Vet approved', 'Orthopaedic foam'],
    materials: ['washable polyester', 'natural rubber', 'sisal rope', 'stainless steel'],
    priceCents: [599, 17999],
  },
];

export const BRANDS = [
  'Acorn',
  'Boreal',
  'Cobalt',
  'Driftwood',
  'Ember',
  'Fjord',
  'Granite',
  'Halcyon',
  'Ivy & Oak',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Northwind',
  'Orchard',
  'Pinecrest',
  'Quarry',
  'Riverstone',
  'Sable',
  'Tundra',
];

export const ADJECTIVES = [
  'Classic',
  'Compact',
  'Premium',
  'Essential',
  'Pro',
  'Ultralight',
  'Heritage',
  'Everyday',
  'Deluxe',
  'Travel',
  'Studio',
  'Smart',
  'Rugged',
  'Minimal',
  'Signature',
];

export const COLORS = ['Black', 'White', 'Slate', 'Forest Green', 'Navy', 'Sand', 'Terracotta', 'Charcoal', 'Sky Blue'];
