// minetest-data (full corpus only, second wave): Minetest Game's recorded sounds, named in the
// package for what makes them (footsteps on nine kinds of ground, doors, fire, lava, water,
// explosions). Reviewed in session 14 from the names, lengths and levels (sox stats): sounds
// named for a game action rather than a material (dig_*, dug_node, place_node*, player_damage,
// tool_breaks) are left out; so are the quiet ones (grass and dirt footsteps at -34 to -41 dBFS
// RMS, item_smoke at -46) and fire_extinguish_flame (the same file as default_cool_lava). Where
// the package has numbered takes of one sound (gravel_footstep.1-4) only the first is used: the
// takes are one recording session, and two of them in different splits would leak.
import type { Category, FileSource, Say } from './catalog.ts';

export const MINETEST_PKG = 'minetest-data';
export const HOMEDECOR_PKG = 'minetest-mod-homedecor';
export const XDECOR_PKG = 'minetest-mod-xdecor';
/** A reviewed-source maker for one package: ids `<prefix>/<id>`, paths under `root`. */
const sourcesOf =
  (pkg: string, root: string, prefix: string) =>
  (id: string, file: string, category: Category, tags: string[], say: Say[], repeat: boolean): FileSource => ({
    kind: 'file',
    id: `${prefix}/${id}`,
    pkg,
    path: root + file,
    category,
    tags,
    say,
    repeat,
    full: true,
  });
const mt = sourcesOf(MINETEST_PKG, 'usr/share/games/minetest/games/minetest_game/mods/', 'minetest');
const hd = sourcesOf(HOMEDECOR_PKG, 'usr/share/games/minetest/mods/homedecor/', 'homedecor');
const xd = sourcesOf(XDECOR_PKG, 'usr/share/games/minetest/mods/xdecor/', 'xdecor');

export const MINETEST_SOURCES: FileSource[] = [
  mt(
    'gravel-step',
    'default/sounds/default_gravel_footstep.1.ogg',
    'human',
    ['footsteps', 'gravel'],
    [
      ['a footstep', 'crunches on gravel', 'crunching on gravel'],
      ['a boot', 'treads on loose gravel', 'treading on loose gravel'],
      ['someone', 'steps on a gravel path', 'stepping on a gravel path'],
    ],
    true,
  ),
  mt(
    'snow-step',
    'default/sounds/default_snow_footstep.1.ogg',
    'human',
    ['footsteps', 'snow'],
    [
      ['a footstep', 'crunches in snow', 'crunching in snow'],
      ['a boot', 'sinks into fresh snow', 'sinking into fresh snow'],
      ['someone', 'tramps through deep snow', 'tramping through deep snow'],
    ],
    true,
  ),
  mt(
    'sand-step',
    'default/sounds/default_sand_footstep.1.ogg',
    'human',
    ['footsteps', 'sand'],
    [
      ['a footstep', 'scuffs in sand', 'scuffing in sand'],
      ['a foot', 'presses into soft sand', 'pressing into soft sand'],
      ['someone', 'walks on dry sand', 'walking on dry sand'],
    ],
    true,
  ),
  mt(
    'ice-step',
    'default/sounds/default_ice_footstep.1.ogg',
    'human',
    ['footsteps', 'ice'],
    [
      ['a footstep', 'clicks on ice', 'clicking on ice'],
      ['a boot', 'taps on a frozen surface', 'tapping on a frozen surface'],
      ['someone', 'steps carefully on ice', 'stepping carefully on ice'],
    ],
    true,
  ),
  mt(
    'wood-step',
    'default/sounds/default_wood_footstep.1.ogg',
    'human',
    ['footsteps', 'wood'],
    [
      ['a footstep', 'knocks on wooden boards', 'knocking on wooden boards'],
      ['someone', 'walks across floorboards', 'walking across floorboards'],
      ['a shoe', 'thumps on a timber floor', 'thumping on a timber floor'],
    ],
    true,
  ),
  mt(
    'metal-step',
    'default/sounds/default_metal_footstep.1.ogg',
    'human',
    ['footsteps', 'metal'],
    [
      ['a footstep', 'clanks on metal', 'clanking on metal'],
      ['a boot', 'rings on a steel plate', 'ringing on a steel plate'],
      ['someone', 'stomps across sheet metal', 'stomping across sheet metal'],
    ],
    true,
  ),
  mt(
    'stone-step',
    'default/sounds/default_hard_footstep.1.ogg',
    'human',
    ['footsteps', 'stone'],
    [
      ['a footstep', 'taps on a stone floor', 'tapping on a stone floor'],
      ['a hard heel', 'clacks on rock', 'clacking on rock'],
      ['someone', 'walks on paving stones', 'walking on paving stones'],
    ],
    true,
  ),
  mt(
    'wading',
    'default/sounds/default_water_footstep.1.ogg',
    'human',
    ['footsteps', 'water', 'splash'],
    [
      ['someone', 'wades through water', 'wading through water'],
      ['feet', 'splash through shallow water', 'splashing through shallow water'],
      ['a walker', 'sloshes through a puddle', 'sloshing through a puddle'],
    ],
    true,
  ),
  mt(
    'glass-break',
    'default/sounds/default_break_glass.1.ogg',
    'impact',
    ['glass', 'shatter'],
    [
      ['glass', 'shatters', 'shattering'],
      ['a pane of glass', 'smashes to pieces', 'smashing to pieces'],
      ['something brittle', 'breaks with a tinkle of shards', 'breaking with a tinkle of shards'],
    ],
    true,
  ),
  mt(
    'chest-open',
    'default/sounds/default_chest_open.ogg',
    'household',
    ['chest', 'creak'],
    [
      ['a wooden chest', 'creaks open', 'creaking open'],
      ['the lid of a trunk', 'is lifted with a creak', 'being lifted with a creak'],
      ['an old box', 'opens on stiff hinges', 'opening on stiff hinges'],
    ],
    true,
  ),
  mt(
    'chest-close',
    'default/sounds/default_chest_close.ogg',
    'household',
    ['chest', 'thud'],
    [
      ['a wooden lid', 'thumps shut', 'thumping shut'],
      ['a chest', 'closes with a bang', 'closing with a bang'],
      ['a heavy trunk', 'is slammed shut', 'being slammed shut'],
    ],
    true,
  ),
  mt(
    'door-open',
    'doors/sounds/doors_door_open.ogg',
    'household',
    ['door'],
    [
      ['a wooden door', 'creaks open', 'creaking open'],
      ['a door', 'swings open', 'swinging open'],
      ['someone', 'pulls a door open', 'pulling a door open'],
    ],
    true,
  ),
  mt(
    'door-close',
    'doors/sounds/doors_door_close.ogg',
    'household',
    ['door', 'slam'],
    [
      ['a door', 'slams shut', 'slamming shut'],
      ['a wooden door', 'closes with a thud', 'closing with a thud'],
      ['someone', 'bangs a door closed', 'banging a door closed'],
    ],
    true,
  ),
  mt(
    'gate-open',
    'doors/sounds/doors_fencegate_open.ogg',
    'household',
    ['gate'],
    [
      ['a wooden gate', 'swings open', 'swinging open'],
      ['a fence gate', 'is pushed open', 'being pushed open'],
    ],
    true,
  ),
  mt(
    'gate-close',
    'doors/sounds/doors_fencegate_close.ogg',
    'household',
    ['gate', 'latch'],
    [
      ['a gate', 'clicks shut', 'clicking shut'],
      ['a fence gate', 'bangs against its post', 'banging against its post'],
      ['a latch', 'snaps closed', 'snapping closed'],
    ],
    true,
  ),
  mt(
    'glass-door-close',
    'doors/sounds/doors_glass_door_close.ogg',
    'household',
    ['door', 'glass'],
    [
      ['a glass door', 'shuts', 'shutting'],
      ['a glazed door', 'rattles closed', 'rattling closed'],
    ],
    true,
  ),
  mt(
    'steel-door-open',
    'doors/sounds/doors_steel_door_open.ogg',
    'household',
    ['door', 'metal'],
    [
      ['a steel door', 'opens with a clank', 'opening with a clank'],
      ['a heavy metal door', 'is unbolted', 'being unbolted'],
    ],
    true,
  ),
  mt(
    'steel-door-close',
    'doors/sounds/doors_steel_door_close.ogg',
    'household',
    ['door', 'metal', 'clang'],
    [
      ['a steel door', 'clangs shut', 'clanging shut'],
      ['a heavy metal door', 'slams', 'slamming'],
      ['an iron door', 'closes with a resounding clang', 'closing with a resounding clang'],
    ],
    true,
  ),
  mt(
    'bars-close',
    'xpanes/sounds/xpanes_steel_bar_door_close.ogg',
    'household',
    ['door', 'metal', 'clang'],
    [
      ['a barred iron door', 'clanks shut', 'clanking shut'],
      ['a gate of iron bars', 'slams closed', 'slamming closed'],
    ],
    true,
  ),
  mt(
    'hiss',
    'default/sounds/default_cool_lava.1.ogg',
    'fire',
    ['hiss', 'steam'],
    [
      ['water', 'hisses on hot rock', 'hissing on hot rock'],
      ['something red-hot', 'sizzles as it is quenched', 'sizzling as it is quenched'],
      ['a burst of steam', 'hisses', 'hissing'],
    ],
    true,
  ),
  mt(
    'furnace',
    'default/sounds/default_furnace_active.ogg',
    'fire',
    ['furnace', 'fire'],
    [
      ['a furnace', 'roars', 'roaring'],
      ['a fire', 'burns inside a stove', 'burning inside a stove'],
      ['flames', 'rumble in a furnace', 'rumbling in a furnace'],
    ],
    false,
  ),
  mt(
    'fire',
    'fire/sounds/fire_fire.1.ogg',
    'fire',
    ['fire', 'crackle'],
    [
      ['a fire', 'crackles', 'crackling'],
      ['burning wood', 'pops and crackles', 'popping and crackling'],
      ['flames', 'flicker and snap', 'flickering and snapping'],
    ],
    false,
  ),
  mt(
    'fire-large',
    'fire/sounds/fire_large.ogg',
    'fire',
    ['fire', 'roar'],
    [
      ['a large fire', 'roars', 'roaring'],
      ['a blaze', 'burns fiercely', 'burning fiercely'],
      ['a bonfire', 'rages', 'raging'],
    ],
    false,
  ),
  mt(
    'fire-small',
    'fire/sounds/fire_small.ogg',
    'fire',
    ['fire', 'crackle'],
    [
      ['a small fire', 'crackles softly', 'crackling softly'],
      ['a campfire', 'burns quietly', 'burning quietly'],
      ['embers', 'pop now and then', 'popping now and then'],
    ],
    false,
  ),
  mt(
    'flint',
    'fire/sounds/fire_flint_and_steel.ogg',
    'tool',
    ['flint', 'spark'],
    [
      ['flint', 'strikes steel', 'striking steel'],
      ['someone', 'strikes a flint to make sparks', 'striking a flint to make sparks'],
      ['a fire starter', 'scrapes and clicks', 'scraping and clicking'],
    ],
    true,
  ),
  mt(
    'explosion',
    'tnt/sounds/tnt_explode.ogg',
    'weapon',
    ['explosion', 'boom'],
    [
      ['an explosion', 'booms', 'booming'],
      ['dynamite', 'explodes', 'exploding'],
      ['a blast', 'goes off with a bang', 'going off with a bang'],
    ],
    true,
  ),
  mt(
    'fuse',
    'tnt/sounds/tnt_gunpowder_burning.ogg',
    'fire',
    ['fuse', 'fizz'],
    [
      ['a fuse', 'fizzes', 'fizzing'],
      ['gunpowder', 'burns with a hiss', 'burning with a hiss'],
    ],
    true,
  ),
  mt(
    'ignite',
    'tnt/sounds/tnt_ignite.ogg',
    'fire',
    ['fuse', 'hiss'],
    [
      ['a lit fuse', 'sizzles', 'sizzling'],
      ['a fuse', 'hisses as it burns down', 'hissing as it burns down'],
    ],
    false,
  ),
  mt(
    'lava',
    'env_sounds/sounds/env_sounds_lava.1.ogg',
    'nature',
    ['lava', 'bubbling'],
    [
      ['lava', 'bubbles and pops', 'bubbling and popping'],
      ['molten rock', 'gurgles', 'gurgling'],
      ['a thick liquid', 'blurps and bubbles', 'blurping and bubbling'],
    ],
    false,
  ),
  mt(
    'water',
    'env_sounds/sounds/env_sounds_water.1.ogg',
    'nature',
    ['water', 'flowing'],
    [
      ['water', 'flows', 'flowing'],
      ['a stream', 'trickles', 'trickling'],
      ['running water', 'burbles', 'burbling'],
    ],
    false,
  ),
  mt(
    'cart',
    'carts/sounds/carts_cart_moving.1.ogg',
    'vehicle',
    ['cart', 'rails'],
    [
      ['a cart', 'rolls along rails', 'rolling along rails'],
      ['a mine cart', 'rumbles down a track', 'rumbling down a track'],
      ['wheels', 'clatter over rails', 'clattering over rails'],
    ],
    true,
  ),
  // minetest-mod-homedecor and minetest-mod-xdecor: household recordings (its fire sounds are left
  // out: fire_small has the length of minetest-data's to the sample, another encoding of one take).
  hd(
    'faucet',
    'homedecor_common/sounds/homedecor_faucet.ogg',
    'household',
    ['water', 'tap'],
    [
      ['a tap', 'runs into a sink', 'running into a sink'],
      ['water', 'pours from a faucet', 'pouring from a faucet'],
      ['someone', 'turns on the kitchen tap', 'turning on the kitchen tap'],
    ],
    false,
  ),
  hd(
    'toilet',
    'homedecor_bathroom/sounds/homedecor_toilet_flush.ogg',
    'household',
    ['toilet', 'flush', 'water'],
    [
      ['a toilet', 'flushes', 'flushing'],
      ['water', 'gushes down a toilet bowl', 'gushing down a toilet bowl'],
      ['a cistern', 'empties and refills', 'emptying and refilling'],
    ],
    false,
  ),
  hd(
    'shower',
    'homedecor_bathroom/sounds/homedecor_shower.ogg',
    'household',
    ['shower', 'water'],
    [
      ['a shower', 'runs', 'running'],
      ['water', 'sprays from a shower head', 'spraying from a shower head'],
      ['a shower', 'hisses and splashes', 'hissing and splashing'],
    ],
    false,
  ),
  hd(
    'door-open',
    'homedecor_doors_and_gates/sounds/homedecor_door_open.ogg',
    'household',
    ['door'],
    [
      ['a door', 'is opened', 'being opened'],
      ['a door handle', 'turns and a door opens', 'turning as a door opens'],
    ],
    true,
  ),
  hd(
    'door-close',
    'homedecor_doors_and_gates/sounds/homedecor_door_close.ogg',
    'household',
    ['door'],
    [
      ['a door', 'shuts with a click', 'shutting with a click'],
      ['someone', 'closes a door', 'closing a door'],
    ],
    true,
  ),
  hd(
    'book',
    'homedecor_doors_and_gates/sounds/homedecor_book_close.ogg',
    'household',
    ['book', 'thud'],
    [
      ['a book', 'snaps shut', 'snapping shut'],
      ['someone', 'closes a heavy book', 'closing a heavy book'],
    ],
    true,
  ),
  hd(
    'doorbell',
    'homedecor_electrical/sounds/homedecor_doorbell.ogg',
    'alarm',
    ['doorbell', 'chime'],
    [
      ['a doorbell', 'rings', 'ringing'],
      ['a door chime', 'goes ding-dong', 'going ding-dong'],
      ['a visitor', 'rings the bell', 'ringing the bell'],
    ],
    true,
  ),
  hd(
    'toaster',
    'homedecor_gastronomy/sounds/toaster.ogg',
    'household',
    ['toaster', 'click'],
    [
      ['a toaster', 'pops up', 'popping up'],
      ['toast', 'springs out of a toaster', 'springing out of a toaster'],
    ],
    true,
  ),
  hd(
    'coin',
    'homedecor_gastronomy/sounds/insert_coin.ogg',
    'household',
    ['coin', 'rattle'],
    [
      ['a coin', 'rattles into a machine', 'rattling into a machine'],
      ['coins', 'drop through a vending machine', 'dropping through a vending machine'],
    ],
    true,
  ),
  xd(
    'boiling',
    'sounds/xdecor_boiling_water.ogg',
    'household',
    ['water', 'boiling'],
    [
      ['water', 'boils in a pot', 'boiling in a pot'],
      ['a saucepan', 'bubbles on the stove', 'bubbling on the stove'],
    ],
    false,
  ),
];
