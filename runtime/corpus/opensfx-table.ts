// The reviewed entries of openttd-opensfx's sample catalogue (opensfx.ts splits and checks them),
// kept one record per line like catalog.ts. Each row: the catalogue index, the title the entry must
// carry, and what is audible, from the title and the original recording's name (given in the
// comment where it adds something). Left out: composites made for the game's toy world, jingles,
// splats, the empty entries, clicks too short to stay audible in a 10 s clip (a 0.09 s plop or
// shaker hit rendered "distant" measured -50.1 dBFS RMS, under the build's -50 floor), and all but
// one edit of each original recording, so a recording can never sit in two splits.
import type { Category, Say } from './catalog.ts';

export type Row = [index: number, title: string, id: string, category: Category, tags: string[], say: Say[], repeat: boolean];

export const OPENSFX_TABLE: Row[] = [
  [3, 'Factory Whistle', 'factory-whistle', 'alarm', ['whistle', 'factory'], [['a factory whistle', 'blows', 'blowing'], ['a steam whistle', 'shrieks', 'shrieking'], ['an industrial whistle', 'sounds a long blast', 'sounding a long blast'], ['a mill', 'sounds its steam whistle', 'sounding its steam whistle'], ['a loud whistle', 'signals the end of a shift', 'signalling the end of a shift']], true],
  // "steam train horn 01.wav"
  [4, 'Steam train station departure', 'steam-train', 'vehicle', ['train', 'whistle', 'steam'], [['a steam locomotive', 'whistles', 'whistling'], ['a steam train', 'blows its whistle', 'blowing its whistle'], ['an old train', 'toots as it departs', 'tooting as it departs'], ['a locomotive whistle', 'shrills', 'shrilling'], ['a steam engine', 'gives a departure whistle', 'giving a departure whistle']], true],
  [6, 'Ship horn', 'ship-horn', 'vehicle', ['ship', 'horn'], [['a ship', 'sounds its horn', 'sounding its horn'], ["a ship's horn", 'blasts', 'blasting'], ['a large vessel', 'blows a deep horn', 'blowing a deep horn'], ['a deep horn', 'booms out', 'booming out'], ['a boat horn', 'bellows', 'bellowing']], true],
  [7, 'Ferry horn', 'ferry-horn', 'vehicle', ['ship', 'horn'], [['a ferry', 'sounds its horn', 'sounding its horn'], ['a passenger ferry', 'hoots', 'hooting'], ['a boat', 'gives a long horn blast', 'giving a long horn blast'], ['a ferry horn', 'drones', 'droning'], ['a vessel in port', 'signals with its horn', 'signalling with its horn']], true],
  // "Plane Cessna start stop.wav"
  [8, 'Propeller plane start', 'cessna', 'vehicle', ['airplane', 'propeller', 'engine'], [['a small plane', 'starts its engine', 'starting its engine'], ['a propeller engine', 'sputters and roars', 'sputtering and roaring'], ['a light aircraft', 'revs its propeller', 'revving its propeller'], ['an airplane engine', 'coughs into life', 'coughing into life'], ['a propeller', 'spins up', 'spinning up']], true],
  // "Passenger jet departs 2.wav"
  [9, 'Early jet take off', 'jet-departs', 'vehicle', ['jet', 'airplane'], [['a passenger jet', 'takes off', 'taking off'], ['a jet airliner', 'roars down the runway', 'roaring down the runway'], ['jet engines', 'scream', 'screaming'], ['an airplane', 'departs', 'departing'], ['a jetliner', 'climbs away', 'climbing away']], true],
  // "Locomotive 1 Distant horn.wav"
  [10, 'Diesel/electric train station departure', 'locomotive-horn', 'vehicle', ['train', 'horn'], [['a locomotive', 'sounds its horn in the distance', 'sounding its horn in the distance'], ['a diesel train', 'honks', 'honking'], ['a distant train horn', 'blares', 'blaring'], ['a train', 'blows its horn', 'blowing its horn']], true],
  // "L'ascenseur - Elevator"
  [11, 'Mining machinery', 'elevator', 'tool', ['machinery', 'elevator'], [['an elevator', 'runs', 'running'], ['machinery', 'hums', 'humming'], ['a lift', 'moves between floors', 'moving between floors'], ['a motor', 'whirs steadily', 'whirring steadily']], false],
  // "JacobsLadderLong2.flac"
  [12, 'Electric sparking', 'electric-arc', 'electronic', ['electricity', 'spark', 'buzz'], [['electricity', 'crackles', 'crackling'], ['an electric arc', 'buzzes and sizzles', 'buzzing and sizzling'], ['high-voltage sparks', 'snap', 'snapping'], ['a spark gap', 'zaps', 'zapping'], ["a Jacob's ladder", 'hums and crackles', 'humming and crackling']], true],
  [13, 'Steam (of steam engine)', 'steam', 'noise', ['steam', 'hiss'], [['steam', 'hisses', 'hissing'], ['a steam valve', 'releases pressure', 'releasing pressure'], ['a jet of steam', 'vents', 'venting'], ['pressurised steam', 'escapes with a hiss', 'escaping with a hiss']], true],
  // "RRCrossing.wav"
  [14, 'Level crossing', 'level-crossing', 'alarm', ['bell', 'railroad_crossing'], [['a railroad crossing bell', 'dings', 'dinging'], ['a level crossing', 'clangs its warning bell', 'clanging its warning bell'], ['a crossing signal', 'rings repeatedly', 'ringing repeatedly'], ['warning bells', 'ding at a rail crossing', 'dinging at a rail crossing']], true],
  // "Dropping a large gun.wav"
  [15, 'Road vehicle breakdown', 'metal-drop', 'impact', ['metal', 'clatter', 'drop'], [['a heavy metal object', 'drops with a clatter', 'dropping with a clatter'], ['something heavy', 'falls to the floor', 'falling to the floor'], ['metal', 'clanks onto the ground', 'clanking onto the ground'], ['a heavy tool', 'is dropped', 'being dropped']], true],
  // "Dumpster_Diving.wav"
  [16, 'Train/ship breakdown', 'dumpster', 'impact', ['metal', 'rattle'], [['someone', 'rummages through a metal bin', 'rummaging through a metal bin'], ['metal', 'bangs and rattles', 'banging and rattling'], ['junk', 'clatters about in a dumpster', 'clattering about in a dumpster']], true],
  // "crash.wav" (entry 19, "Big crash", is another edit of it)
  [17, 'Crash', 'crash', 'impact', ['crash'], [['something', 'crashes', 'crashing'], ['objects', 'smash together', 'smashing together'], ['a loud crash', 'rings out', 'ringing out'], ['things', 'fall with a crash', 'falling with a crash']], true],
  [18, 'Explosion', 'explosion', 'impact', ['explosion', 'boom'], [['an explosion', 'booms', 'booming'], ['a blast', 'goes off', 'going off'], ['a charge', 'detonates', 'detonating'], ['a loud boom', 'shakes the air', 'shaking the air']], true],
  [20, 'Cash till', 'cash-till', 'household', ['cash_register', 'bell'], [['a cash register', 'rings', 'ringing'], ['a till', 'goes ka-ching', 'going ka-ching'], ['a shop register', 'dings', 'dinging'], ['a cashier', 'rings up a sale', 'ringing up a sale']], true],
  [21, 'Beep', 'beep', 'electronic', ['beep'], [['a device', 'beeps', 'beeping'], ['a short electronic beep', 'sounds', 'sounding'], ['a gadget', 'gives a short bleep', 'giving a short bleep']], true],
  [22, 'Morse', 'morse', 'electronic', ['morse_code', 'beep'], [['morse code', 'beeps', 'beeping'], ['a telegraph', 'taps out morse code', 'tapping out morse code'], ['dots and dashes', 'beep rapidly', 'beeping rapidly'], ['a radio operator', 'sends a message in morse', 'sending a message in morse']], true],
  // "helicopterRaw_16sec.wav"
  [24, 'Helicopter', 'helicopter', 'vehicle', ['helicopter'], [['a helicopter', 'flies', 'flying'], ['rotor blades', 'thump', 'thumping'], ['a chopper', 'hovers', 'hovering'], ['a helicopter', 'whirs overhead', 'whirring overhead'], ['a rotorcraft', 'beats the air', 'beating the air']], false],
  // "file0375.mp3" (entries 26, 60 and 62 are edits of it)
  [25, 'Truck/old bus start, pull away', 'truck-start', 'vehicle', ['engine', 'truck'], [['a truck', 'starts and pulls away', 'starting and pulling away'], ['an old bus', 'starts up and drives off', 'starting up and driving off'], ['a diesel engine', 'rumbles into life', 'rumbling into life'], ['an engine', 'turns over and revs', 'turning over and revving'], ['a heavy vehicle', 'moves off', 'moving off']], true],
  // "london bus approaches & leaves.wav" (entry 64 is an edit of it)
  [27, 'Modern bus start', 'london-bus', 'vehicle', ['bus', 'engine'], [['a bus', 'pulls away', 'pulling away'], ['a city bus', 'drives off', 'driving off'], ['a bus engine', 'revs', 'revving'], ['a double-decker bus', 'leaves a stop', 'leaving a stop']], true],
  // "t_start1.mp3" (entry 63 is an edit of it)
  [28, 'Old bus start', 'old-engine', 'vehicle', ['engine'], [['an old engine', 'starts', 'starting'], ['a vintage vehicle', 'cranks and starts', 'cranking and starting'], ['a motor', 'sputters to life', 'sputtering to life'], ['an engine', 'idles', 'idling']], true],
  // "Approx 850 - Enthusiast Audience.wav"
  [29, 'Applause', 'applause', 'human', ['applause', 'crowd', 'cheering'], [['a large audience', 'applauds', 'applauding'], ['a crowd', 'claps and cheers', 'clapping and cheering'], ['hundreds of people', 'clap enthusiastically', 'clapping enthusiastically'], ['spectators', 'give an ovation', 'giving an ovation'], ['an enthusiastic crowd', 'bursts into applause', 'bursting into applause']], false],
  // "air hammer half close.wav"
  [33, 'Jackhammer', 'jackhammer', 'tool', ['jackhammer', 'drill'], [['a jackhammer', 'pounds', 'pounding'], ['a pneumatic drill', 'hammers', 'hammering'], ['a road worker', 'breaks concrete with a drill', 'breaking concrete with a drill'], ['an air hammer', 'rattles', 'rattling'], ['a pneumatic hammer', 'chatters', 'chattering']], true],
  // "claxon.wav"
  [35, 'Modern car horn', 'car-horn', 'vehicle', ['car', 'horn'], [['a car horn', 'honks', 'honking'], ['a driver', 'honks the horn', 'honking the horn'], ['a car', 'beeps its horn', 'beeping its horn'], ['a klaxon', 'blares', 'blaring']], true],
  // "Corner of a sheep field in summer"
  [36, 'Sheep', 'sheep', 'animal', ['sheep', 'bleat'], [['a sheep', 'bleats in a field', 'bleating in a field'], ['sheep', 'baa', 'baaing'], ['a flock of sheep', 'calls', 'calling'], ['a ewe', 'bleats', 'bleating']], true],
  // "Cow - Moan 2 - 96kHz.wav"
  [37, 'Cow', 'cow', 'animal', ['cow', 'moo'], [['a cow', 'moans', 'moaning'], ['a cow', 'moos', 'mooing'], ['cattle', 'low', 'lowing'], ['a heifer', 'calls', 'calling']], true],
  // "20060419.horse.neigh.wav"
  [38, 'Horse', 'horse', 'animal', ['horse', 'neigh'], [['a horse', 'neighs', 'neighing'], ['a horse', 'whinnies', 'whinnying'], ['a mare', 'neighs loudly', 'neighing loudly']], true],
  // "in the smithy 2.wav"
  [39, 'Building bridge', 'smithy', 'tool', ['hammer', 'metal', 'anvil'], [['a blacksmith', 'hammers metal', 'hammering metal'], ['a smith', 'works at an anvil', 'working at an anvil'], ['a hammer', 'rings on iron', 'ringing on iron'], ['metalwork', 'clangs in a forge', 'clanging in a forge']], true],
  // "Circular saw crosscutting.wav"
  [40, 'Sawmill', 'circular-saw', 'tool', ['saw', 'wood'], [['a circular saw', 'cuts wood', 'cutting wood'], ['a power saw', 'whines', 'whining'], ['a saw blade', 'bites into a plank', 'biting into a plank'], ['an electric saw', 'crosscuts timber', 'crosscutting timber'], ['a sawmill blade', 'spins and cuts', 'spinning and cutting']], true],
  // "Bubble 001.wav"
  [46, 'Toyland: Bubble generated', 'bubble', 'nature', ['bubbles', 'water'], [['bubbles', 'rise and pop', 'rising and popping'], ['water', 'bubbles', 'bubbling'], ['air bubbles', 'gurgle', 'gurgling'], ['a bubble', 'blubs', 'blubbing']], true],
  // "Cartoon - Slurp!.wav" and "raw_bubblingdrink5.ogg"
  [49, 'Toyland: Bubble slurped', 'slurp', 'human', ['slurp', 'drink'], [['someone', 'slurps', 'slurping'], ['a cartoon character', 'slurps noisily', 'slurping noisily'], ['a person', 'slurps a bubbling drink', 'slurping a bubbling drink']], true],
  // "bulle.wav" and "ELEMENTS_WATER_02_Phasin-bubbles.wav"
  [51, 'Toyland: Plastic mine', 'bubbling', 'nature', ['bubbles', 'water'], [['water', 'bubbles and gurgles', 'bubbling and gurgling'], ['bubbles', 'burble up', 'burbling up'], ['a bubbling liquid', 'fizzes', 'fizzing']], false],
  // "wind1.wav" (entry 57, "Heavy wind", is the same recording)
  [52, 'Wind', 'wind', 'weather', ['wind'], [['the wind', 'blows', 'blowing'], ['a gust of wind', 'whooshes', 'whooshing'], ['wind', 'howls', 'howling'], ['a strong breeze', 'rushes past', 'rushing past'], ['a gale', 'whistles', 'whistling']], false],
  // "A Tree Falling Down.wav"
  [54, 'Lumber mill: Crashing tree', 'tree-falls', 'nature', ['tree', 'crash', 'wood'], [['a tree', 'falls and crashes', 'falling and crashing'], ['a felled tree', 'crashes to the ground', 'crashing to the ground'], ['branches', 'snap as a tree falls', 'snapping as a tree falls'], ['timber', 'topples', 'toppling']], true],
  // "cutting_tree.wav"
  [55, 'Lumber mill: Falling tree', 'tree-cut', 'tool', ['tree', 'wood', 'cut'], [['someone', 'cuts down a tree', 'cutting down a tree'], ['a lumberjack', 'fells a tree', 'felling a tree'], ['wood', 'cracks and splinters', 'cracking and splintering'], ['a tree trunk', 'creaks and gives way', 'creaking and giving way']], true],
  // "CHAINSAW.wav"
  [56, 'Lumber mill: Chainsaw', 'chainsaw', 'tool', ['chainsaw'], [['a chainsaw', 'roars', 'roaring'], ['a chainsaw', 'cuts through wood', 'cutting through wood'], ['a logger', 'revs a chainsaw', 'revving a chainsaw'], ['a chain saw', 'buzzes loudly', 'buzzing loudly'], ['a two-stroke engine', 'whines', 'whining']], true],
  // "Landing Jet 5 (Close).wav"
  [59, 'Mach 1+ Jet take off', 'jet-close', 'vehicle', ['jet', 'airplane'], [['a jet', 'roars overhead', 'roaring overhead'], ['a jet plane', 'flies low', 'flying low'], ['a jet aircraft', 'screams past', 'screaming past'], ['an airliner', 'comes in to land', 'coming in to land'], ['jet engines', 'rumble', 'rumbling']], true],
  // "5_Navy-Blue-Angels-jets_CLIP.wav"
  [61, 'Modern jet take off', 'fighter-jets', 'vehicle', ['jet', 'airplane'], [['fighter jets', 'roar past', 'roaring past'], ['military jets', 'fly over', 'flying over'], ['jet fighters', 'streak overhead', 'streaking overhead'], ['warplanes', 'scream by', 'screaming by']], true],
  // "metro.wav"
  [65, 'Maglev train station departure', 'metro', 'vehicle', ['train', 'subway'], [['a metro train', 'departs', 'departing'], ['a subway train', 'pulls out of a station', 'pulling out of a station'], ['an underground train', 'accelerates', 'accelerating'], ['electric motors', 'whine as a train leaves', 'whining as a train leaves']], true],
  // "Bird Noise - 1.wav"
  [66, 'Tropical: Bird (1)', 'bird-1', 'bird', ['bird', 'bird_call'], [['a bird', 'calls', 'calling'], ['a bird', 'chirps loudly', 'chirping loudly'], ['a wild bird', 'cries', 'crying']], true],
  // "Affen schreit.mp3" (German: a monkey screams)
  [68, 'Tropical: Monkeys', 'monkeys', 'animal', ['monkey', 'scream'], [['a monkey', 'screams', 'screaming'], ['monkeys', 'shriek', 'shrieking'], ['a primate', 'screeches', 'screeching'], ['apes', 'howl and chatter', 'howling and chattering']], true],
  // "Airplane propeller.wav"
  [69, 'Toyland: Propeller plane take off', 'propeller-plane', 'vehicle', ['airplane', 'propeller'], [['a propeller plane', 'takes off', 'taking off'], ['an airplane propeller', 'drones', 'droning'], ['a prop aircraft', 'roars', 'roaring'], ['a small airplane', 'flies by', 'flying by']], true],
  // "Train passby (tape stop).wav"
  [71, 'Monorail train station departure', 'train-passby', 'vehicle', ['train'], [['a train', 'passes by', 'passing by'], ['a train', 'rushes past', 'rushing past'], ['railway carriages', 'rattle by', 'rattling by'], ['a passing train', 'winds down', 'winding down']], true],
  // "Bird Noise - 12.wav"
  [72, 'Tropical: Bird (2)', 'bird-2', 'bird', ['bird', 'bird_call'], [['an exotic bird', 'calls', 'calling'], ['a bird', 'calls out', 'calling out'], ['a jungle bird', 'cries', 'crying']], true],
];
