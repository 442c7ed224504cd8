// The reviewed source table of the offline corpus: every usable recording, instrument, voice and
// texture, with 2-4 truthful descriptions of what is audible. A description is a triple
// [subject, present-tense verb phrase, gerund phrase] so captions can be built in varied shapes
// ("A dog barks", "the sound of a dog barking", "a dog barking while rain falls").
// Review rule: a file is listed only when its name in its package makes the sound unambiguous
// (a tuxpaint stamp's animal call, a wesnoth effect named for its action); fantasy or UI sounds,
// music whose content is unknown, and spoken-word files are left out. Packages reserved for
// out-of-domain evaluation (docs/design.md) never appear here.

export type Say = readonly [subject: string, verb: string, gerund: string];

export type Category = 'animal' | 'bird' | 'insect' | 'human' | 'household' | 'tool' | 'music' | 'drums' | 'speech'
  | 'vehicle' | 'weather' | 'fire' | 'impact' | 'weapon' | 'alarm' | 'electronic' | 'noise' | 'nature';

export interface FileSource {
  kind: 'file';
  id: string;
  pkg: string;
  path: string;            // inside the unpacked package
  category: Category;
  tags: string[];
  say: Say[];
  /** A short one-shot event that can be repeated with gaps to fill a clip. */
  repeat?: boolean;
  /** Only in the 'full' corpus. */
  full?: boolean;
}

export const RESERVED_PACKAGES = ['qabcs-data', 'scratch', 'sonic-pi-samples', 'lmms-common', 'hydrogen-drumkits', 'asterisk-core-sounds-en',
  'asterisk-sounds-main', 'sound-theme-freedesktop', 'fluid-soundfont-gm', 'fluid-soundfont-gs', 'flite'];

const TUX = 'usr/share/tuxpaint/stamps/';
const tux = (id: string, path: string, category: Category, tags: string[], say: Say[], repeat = true): FileSource =>
  ({ kind: 'file', id: `tuxpaint/${id}`, pkg: 'tuxpaint-stamps-default', path: TUX + path, category, tags, say, repeat });
const WES = 'usr/share/games/wesnoth/1.16/data/core/sounds/';
const wes = (id: string, path: string, category: Category, tags: string[], say: Say[], repeat = true): FileSource =>
  ({ kind: 'file', id: `wesnoth/${id}`, pkg: 'wesnoth-1.16-data', path: WES + path, category, tags, say, repeat });

export const FILE_SOURCES: FileSource[] = [
  tux('frog', 'animals/amphibians/frog.ogg', 'animal', ['frog', 'croak'], [['a frog', 'croaks', 'croaking'], ['a frog', 'calls out', 'calling out'], ['an amphibian', 'ribbits', 'ribbiting'], ['a frog', 'gives a throaty call', 'giving a throaty call'], ['a frog', 'lets out a guttural croak', 'letting out a guttural croak']]),
  tux('blackbird', 'animals/birds/blackbird.ogg', 'bird', ['bird', 'birdsong'], [['a blackbird', 'sings', 'singing'], ['a songbird', 'chirps and whistles', 'chirping and whistling'], ['a bird', 'sings a melodic song', 'singing a melodic song'], ['a thrush', 'warbles a cheerful tune', 'warbling a cheerful tune'], ['a blackbird', 'pours out a fluting song', 'pouring out a fluting song'], ['a garden bird', 'whistles a melody', 'whistling a melody']], false),
  tux('crow', 'animals/birds/crow.ogg', 'bird', ['crow', 'caw'], [['a crow', 'caws', 'cawing'], ['a large black bird', 'calls harshly', 'calling harshly'], ['a black crow', 'squawks hoarsely', 'squawking hoarsely'], ['a noisy crow', 'gives a rasping call', 'giving a rasping call'], ['a crow', 'gives a raucous caw', 'giving a raucous caw'], ['a corvid', 'croaks harshly', 'croaking harshly']]),
  tux('cuckoo', 'animals/birds/cuckoo.ogg', 'bird', ['cuckoo', 'bird_call'], [['a cuckoo', 'calls', 'calling'], ['a bird', 'repeats its two-note call', 'repeating its two-note call'], ['a forest bird', 'calls cuckoo', 'calling cuckoo'], ['a cuckoo', 'sings its familiar two notes', 'singing its familiar two notes']]),
  tux('duck', 'animals/birds/duck.ogg', 'bird', ['duck', 'quack'], [['a duck', 'quacks', 'quacking'], ['a duck', 'quacks loudly', 'quacking loudly'], ['a waterfowl', 'quacks noisily', 'quacking noisily'], ['a duck', 'lets out a nasal quack', 'letting out a nasal quack']]),
  tux('drake', 'animals/birds/drake.ogg', 'bird', ['duck', 'quack'], [['a duck', 'quacks', 'quacking'], ['a male duck', 'quacks', 'quacking'], ['a drake', 'gives a raspy quack', 'giving a raspy quack'], ['a drake', 'calls hoarsely', 'calling hoarsely']]),
  tux('gander', 'animals/birds/gander.ogg', 'bird', ['goose', 'honk'], [['a goose', 'honks', 'honking'], ['a gander', 'honks loudly', 'honking loudly'], ['a goose', 'cackles loudly', 'cackling loudly'], ['a farmyard goose', 'hisses and honks', 'hissing and honking'], ['a large goose', 'trumpets a warning', 'trumpeting a warning']]),
  tux('hen', 'animals/birds/hen.ogg', 'bird', ['chicken', 'cluck'], [['a hen', 'clucks', 'clucking'], ['a chicken', 'clucks', 'clucking'], ['a farmyard hen', 'cackles', 'cackling'], ['poultry', 'cluck and chatter', 'clucking and chattering'], ['a hen', 'clucks contentedly', 'clucking contentedly'], ['a barnyard chicken', 'squawks', 'squawking']]),
  tux('owl', 'animals/birds/owl.ogg', 'bird', ['owl', 'hoot'], [['an owl', 'hoots', 'hooting'], ['an owl', 'calls softly', 'calling softly'], ['a nocturnal bird', 'gives a low hoot', 'giving a low hoot'], ['an owl', 'gives a soft whoo', 'giving a soft whoo'], ['a night bird', 'hoots gently', 'hooting gently']]),
  tux('rooster', 'animals/birds/rooster.ogg', 'bird', ['rooster', 'crow'], [['a rooster', 'crows', 'crowing'], ['a cockerel', 'crows loudly', 'crowing loudly'], ['a farmyard rooster', 'cock-a-doodle-doos', 'cock-a-doodle-dooing'], ['a rooster', 'crows at full voice', 'crowing at full voice']]),
  tux('seagull', 'animals/birds/seagull.ogg', 'bird', ['seagull', 'bird_call'], [['a seagull', 'cries', 'crying'], ['a gull', 'squawks', 'squawking'], ['a seabird', 'screams', 'screaming'], ['a gull', 'gives a shrill cry', 'giving a shrill cry'], ['a seagull', 'lets out a piercing screech', 'letting out a piercing screech']]),
  tux('turkey', 'animals/birds/turkey.ogg', 'bird', ['turkey', 'gobble'], [['a turkey', 'gobbles', 'gobbling'], ['a turkey', 'gobbles noisily', 'gobbling noisily'], ['a farm bird', 'makes a wobbly gobble', 'making a wobbly gobble'], ['a turkey', 'makes a rapid gurgling call', 'making a rapid gurgling call']]),
  tux('lark', 'animals/birds/lark.ogg', 'bird', ['bird', 'birdsong'], [['a lark', 'sings', 'singing'], ['a small bird', 'twitters', 'twittering'], ['a skylark', 'trills', 'trilling'], ['a skylark', 'pours out a long trilling song', 'pouring out a long trilling song']]),
  tux('bee', 'animals/insects/bee.ogg', 'insect', ['bee', 'buzz'], [['a bee', 'buzzes', 'buzzing'], ['an insect', 'drones', 'droning'], ['a bee', 'buzzes around', 'buzzing around'], ['a bee', 'hums', 'humming'], ['a flying bee', 'buzzes past', 'buzzing past'], ['a honeybee', 'hovers and buzzes', 'hovering and buzzing']], false),
  tux('grasshopper', 'animals/insects/grasshopper.ogg', 'insect', ['grasshopper', 'chirp'], [['a grasshopper', 'chirps', 'chirping'], ['an insect', 'chirps rhythmically', 'chirping rhythmically'], ['a grasshopper', 'stridulates', 'stridulating'], ['a bug', 'makes a scratchy chirp', 'making a scratchy chirp'], ['a cricket-like insect', 'chirrups', 'chirruping']]),
  tux('hornet', 'animals/insects/hornet.ogg', 'insect', ['hornet', 'buzz'], [['a hornet', 'buzzes', 'buzzing'], ['a flying insect', 'buzzes loudly', 'buzzing loudly'], ['a wasp', 'buzzes angrily', 'buzzing angrily'], ['a stinging insect', 'whirs its wings', 'whirring its wings']]),
  tux('mosquito', 'animals/insects/mosquito.ogg', 'insect', ['mosquito', 'buzz'], [['a mosquito', 'whines', 'whining'], ['a mosquito', 'buzzes', 'buzzing'], ['a tiny insect', 'whines in a high pitch', 'whining in a high pitch'], ['a mosquito', 'hums near the ear', 'humming near the ear'], ['a bloodsucking insect', 'whines', 'whining']]),
  tux('chimp', 'animals/mammals/apes/chimp.ogg', 'animal', ['chimpanzee', 'screech'], [['a chimpanzee', 'screeches', 'screeching'], ['an ape', 'hoots and screams', 'hooting and screaming'], ['a chimp', 'chatters and shrieks', 'chattering and shrieking'], ['a primate', 'hollers', 'hollering'], ['a chimpanzee', 'pant-hoots excitedly', 'pant-hooting excitedly']]),
  tux('dolphin', 'animals/mammals/aquatic/dolphin.ogg', 'animal', ['dolphin', 'whistle'], [['a dolphin', 'clicks and whistles', 'clicking and whistling'], ['a dolphin', 'squeaks', 'squeaking'], ['a marine mammal', 'chirps and clicks', 'chirping and clicking'], ['a dolphin', 'chatters with clicks and squeals', 'chattering with clicks and squeals']]),
  tux('whale', 'animals/mammals/aquatic/whale.ogg', 'animal', ['whale', 'whale_song'], [['a whale', 'sings', 'singing'], ['a whale', 'moans', 'moaning'], ['a whale', 'calls underwater', 'calling underwater'], ['a giant sea creature', 'wails', 'wailing'], ['a whale', 'sings a haunting song', 'singing a haunting song']], false),
  tux('sea-lion', 'animals/mammals/aquatic/sea_lion.ogg', 'animal', ['sea_lion', 'bark'], [['a sea lion', 'barks', 'barking'], ['a sea lion', 'honks', 'honking'], ['a seal', 'barks hoarsely', 'barking hoarsely'], ['a marine mammal', 'barks and grunts', 'barking and grunting']]),
  tux('bear', 'animals/mammals/bears/bear.ogg', 'animal', ['bear', 'growl'], [['a bear', 'growls', 'growling'], ['a large animal', 'growls', 'growling'], ['a bear', 'roars', 'roaring'], ['a wild bear', 'snarls', 'snarling'], ['an angry bear', 'growls threateningly', 'growling threateningly']]),
  tux('cow', 'animals/mammals/bovines/cow.ogg', 'animal', ['cow', 'moo'], [['a cow', 'moos', 'mooing'], ['a cow', 'lows', 'lowing'], ['a bovine', 'calls', 'calling'], ['a dairy cow', 'moos in a long low call', 'mooing in a long low call']]),
  tux('cow-white', 'animals/mammals/bovines/cow_white.ogg', 'animal', ['cow', 'moo'], [['a cow', 'moos', 'mooing'], ['cattle', 'moo', 'mooing'], ['a cow', 'moos loudly', 'mooing loudly'], ['a cow', 'calls to the herd', 'calling to the herd']]),
  tux('bull', 'animals/mammals/bovines/bull.ogg', 'animal', ['bull', 'bellow'], [['a bull', 'bellows', 'bellowing'], ['a bull', 'snorts and bellows', 'snorting and bellowing'], ['a bull', 'bellows deeply', 'bellowing deeply'], ['a bull', 'bellows angrily', 'bellowing angrily']]),
  tux('goat', 'animals/mammals/bovines/goat.ogg', 'animal', ['goat', 'bleat'], [['a goat', 'bleats', 'bleating'], ['a goat', 'bleats loudly', 'bleating loudly'], ['a goat', 'bleats nasally', 'bleating nasally'], ['a goat', 'bleats in a quavering voice', 'bleating in a quavering voice']]),
  tux('mountaingoat', 'animals/mammals/bovines/mountaingoat.ogg', 'animal', ['goat', 'bleat'], [['a goat', 'bleats', 'bleating'], ['a mountain goat', 'bleats', 'bleating'], ['a goat', 'gives a shaky bleat', 'giving a shaky bleat'], ['a wild goat', 'bleats insistently', 'bleating insistently']]),
  tux('ram', 'animals/mammals/bovines/ram.ogg', 'animal', ['sheep', 'bleat'], [['a ram', 'bleats', 'bleating'], ['a sheep', 'bleats', 'bleating'], ['a male sheep', 'bleats gruffly', 'bleating gruffly'], ['a sheep', 'baas gruffly', 'baaing gruffly']]),
  tux('sheep', 'animals/mammals/bovines/sheep.ogg', 'animal', ['sheep', 'bleat'], [['a sheep', 'bleats', 'bleating'], ['a sheep', 'baas', 'baaing'], ['a woolly sheep', 'bleats', 'bleating'], ['a ewe', 'bleats', 'bleating']]),
  tux('lamb', 'animals/mammals/bovines/sheep_lamb.ogg', 'animal', ['sheep', 'bleat'], [['a lamb', 'bleats', 'bleating'], ['a young sheep', 'baas', 'baaing'], ['a baby sheep', 'bleats softly', 'bleating softly'], ['a lamb', 'calls for its mother', 'calling for its mother']]),
  tux('camel', 'animals/mammals/camel/camel.ogg', 'animal', ['camel', 'groan'], [['a camel', 'groans', 'groaning'], ['a camel', 'grumbles and bellows', 'grumbling and bellowing'], ['a camel', 'roars and gurgles', 'roaring and gurgling'], ['a camel', 'moans and burbles', 'moaning and burbling']], false),
  tux('dromedary', 'animals/mammals/camel/dromedary.ogg', 'animal', ['camel', 'groan'], [['a camel', 'groans', 'groaning'], ['a dromedary', 'grumbles', 'grumbling'], ['a desert animal', 'grunts and groans', 'grunting and groaning'], ['a one-humped camel', 'groans', 'groaning']]),
  tux('lion', 'animals/mammals/cats/lion.ogg', 'animal', ['lion', 'roar'], [['a lion', 'roars', 'roaring'], ['a big cat', 'roars', 'roaring'], ['a male lion', 'gives a mighty roar', 'giving a mighty roar'], ['a wild predator', 'roars fiercely', 'roaring fiercely'], ['a lion', 'lets out a thunderous roar', 'letting out a thunderous roar']]),
  tux('tiger', 'animals/mammals/cats/tiger.ogg', 'animal', ['tiger', 'growl'], [['a tiger', 'growls', 'growling'], ['a big cat', 'snarls and growls', 'snarling and growling'], ['a tiger', 'snarls fiercely', 'snarling fiercely'], ['a tiger', 'rumbles and snarls', 'rumbling and snarling']], false),
  tux('dog', 'animals/mammals/dogs/dog.ogg', 'animal', ['dog', 'bark'], [['a dog', 'barks', 'barking'], ['a dog', 'barks loudly', 'barking loudly'], ['a hound', 'woofs', 'woofing'], ['a dog', 'barks sharply', 'barking sharply'], ['a pet dog', 'barks at something', 'barking at something'], ['a guard dog', 'barks a warning', 'barking a warning']]),
  tux('elephant', 'animals/mammals/elephant.ogg', 'animal', ['elephant', 'trumpet'], [['an elephant', 'trumpets', 'trumpeting'], ['an elephant', 'trumpets loudly', 'trumpeting loudly'], ['a large animal', 'trumpets through its trunk', 'trumpeting through its trunk'], ['a pachyderm', 'trumpets', 'trumpeting']]),
  tux('donkey', 'animals/mammals/equines/donkey.ogg', 'animal', ['donkey', 'bray'], [['a donkey', 'brays', 'braying'], ['a donkey', 'hee-haws', 'hee-hawing'], ['a donkey', 'brays noisily', 'braying noisily'], ['a donkey', 'brays hoarsely', 'braying hoarsely']]),
  tux('horse', 'animals/mammals/equines/horse.ogg', 'animal', ['horse', 'neigh'], [['a horse', 'neighs', 'neighing'], ['a horse', 'whinnies', 'whinnying'], ['an equine', 'whinnies', 'whinnying'], ['a horse', 'neighs loudly', 'neighing loudly'], ['a steed', 'neighs', 'neighing']]),
  tux('pig', 'animals/mammals/pig.ogg', 'animal', ['pig', 'oink'], [['a pig', 'oinks', 'oinking'], ['a pig', 'grunts', 'grunting'], ['a hog', 'grunts', 'grunting'], ['a swine', 'oinks', 'oinking'], ['a pig', 'snuffles and grunts', 'snuffling and grunting']]),
  tux('mouse', 'animals/mammals/rodents/mouse.ogg', 'animal', ['mouse', 'squeak'], [['a mouse', 'squeaks', 'squeaking'], ['a small rodent', 'squeaks', 'squeaking'], ['a tiny mouse', 'squeaks softly', 'squeaking softly'], ['a little mouse', 'squeals', 'squealing']]),
  // Reviewed from their spectrograms (sox spectrogram, session 11): harmonic arcs of a meow, three
  // short barks, pulsed brays, low grunts; files whose content could not be told apart are left out.
  tux('blackcat', 'seasonal/halloween/blackcat.ogg', 'animal', ['cat', 'meow'], [['a cat', 'meows', 'meowing'], ['a black cat', 'mews loudly', 'mewing loudly'], ['a kitty', 'miaows', 'miaowing'], ['a house cat', 'yowls', 'yowling']]),
  tux('fox', 'animals/mammals/dogs/fox.ogg', 'animal', ['fox', 'bark'], [['a fox', 'barks', 'barking'], ['a fox', 'yaps', 'yapping'], ['a wild canine', 'gives short barks', 'giving short barks']]),
  tux('zebra', 'animals/mammals/equines/zebra.ogg', 'animal', ['zebra', 'bray'], [['a zebra', 'brays', 'braying'], ['a zebra', 'barks and brays', 'barking and braying'], ['a wild striped horse', 'calls', 'calling']]),
  tux('gorilla', 'animals/mammals/apes/gorilla.ogg', 'animal', ['gorilla', 'grunt'], [['a gorilla', 'grunts', 'grunting'], ['a great ape', 'growls low', 'growling low'], ['a large primate', 'rumbles deeply', 'rumbling deeply']]),
  tux('penguin', 'animals/birds/penguin.ogg', 'bird', ['penguin', 'bray'], [['a penguin', 'brays', 'braying'], ['a penguin', 'calls like a donkey', 'calling like a donkey'], ['a flightless seabird', 'trumpets noisily', 'trumpeting noisily']]),
  tux('bison', 'animals/mammals/bovines/bison.ogg', 'animal', ['bison', 'grunt'], [['a bison', 'grunts', 'grunting'], ['a buffalo', 'snorts', 'snorting'], ['a large bovine', 'grunts deeply', 'grunting deeply']]),
  tux('orca', 'animals/mammals/aquatic/orca.ogg', 'animal', ['orca', 'whale'], [['an orca', 'squeals', 'squealing'], ['a killer whale', 'calls', 'calling'], ['a marine mammal', 'makes high-pitched calls', 'making high-pitched calls']]),
  tux('toucan', 'animals/birds/tucan.ogg', 'bird', ['toucan', 'croak'], [['a toucan', 'croaks', 'croaking'], ['a tropical bird', 'gives a croaking call', 'giving a croaking call'], ['a toucan', 'calls', 'calling']]),
  tux('vulture', 'animals/birds/vulture.ogg', 'bird', ['vulture', 'bird_call'], [['a vulture', 'makes a rattling call', 'making a rattling call'], ['a scavenger bird', 'hisses and rattles', 'hissing and rattling'], ['a large bird', 'chatters harshly', 'chattering harshly']]),
  tux('hippo', 'animals/mammals/hippopotamus.ogg', 'animal', ['hippopotamus', 'grunt'], [['a hippopotamus', 'grunts', 'grunting'], ['a hippo', 'honks and wheezes', 'honking and wheezing'], ['a river animal', 'gives a series of grunts', 'giving a series of grunts']]),
  tux('squirrel', 'animals/mammals/rodents/squirrel.ogg', 'animal', ['squirrel', 'chatter'], [['a squirrel', 'chatters', 'chattering'], ['a small rodent', 'makes rapid clicking sounds', 'making rapid clicking sounds'], ['a squirrel', 'chirrs', 'chirring']]),
  tux('koala', 'animals/marsupials/koala.ogg', 'animal', ['koala', 'bellow'], [['a koala', 'bellows', 'bellowing'], ['a koala', 'grunts and snores', 'grunting and snoring'], ['a marsupial', 'makes a deep rumbling call', 'making a deep rumbling call']]),
  tux('camera', 'hobbies/camera_35mm.ogg', 'household', ['camera', 'shutter', 'click'], [['a camera shutter', 'clicks', 'clicking'], ['a film camera', 'takes a picture', 'taking a picture'], ['a camera', 'snaps a photo', 'snapping a photo'], ['a mechanical shutter', 'clicks', 'clicking'], ['a photographer', 'takes a snapshot', 'taking a snapshot']]),
  tux('cymbal', 'hobbies/music/percussion/cymbal_crash.ogg', 'drums', ['cymbal', 'crash'], [['a cymbal', 'crashes', 'crashing'], ['a crash cymbal', 'is struck', 'being struck'], ['a drummer', 'hits a crash cymbal', 'hitting a crash cymbal'], ['a metal cymbal', 'shimmers', 'shimmering'], ['a drummer', 'smashes a cymbal', 'smashing a cymbal']]),
  tux('tomtom', 'hobbies/music/percussion/drum_tomtom_floor.ogg', 'drums', ['drum', 'tom'], [['a floor tom', 'is struck', 'being struck'], ['a deep drum', 'booms', 'booming'], ['a drummer', 'hits a tom drum', 'hitting a tom drum'], ['a low drum', 'thuds', 'thudding'], ['a tom-tom', 'resonates', 'resonating']]),
  tux('drumkit', 'hobbies/music/percussion/drumkit.ogg', 'drums', ['drum_kit', 'drums'], [['a drum kit', 'plays a short beat', 'playing a short beat'], ['a drummer', 'plays a short fill', 'playing a short fill'], ['drums', 'play a quick rhythm', 'playing a quick rhythm'], ['a drum set', 'plays a groove', 'playing a groove']]),
  tux('cello', 'hobbies/music/string/cello.ogg', 'music', ['cello', 'strings'], [['a cello', 'plays', 'playing'], ['a bowed cello', 'plays a few notes', 'playing a few notes'], ['a string instrument', 'plays low bowed notes', 'playing low bowed notes'], ['a cellist', 'draws a bow across the strings', 'drawing a bow across the strings'], ['a cello', 'sounds a rich low note', 'sounding a rich low note']]),
  tux('violin', 'hobbies/music/string/violin.ogg', 'music', ['violin', 'strings'], [['a violin', 'plays', 'playing'], ['a bowed violin', 'plays a few notes', 'playing a few notes'], ['a violinist', 'plays a short melody', 'playing a short melody'], ['a fiddle', 'plays', 'playing'], ['a violin', 'plays a bright tune', 'playing a bright tune']]),
  tux('bassoon', 'hobbies/music/wind/bassoon.ogg', 'music', ['bassoon', 'woodwind'], [['a bassoon', 'plays', 'playing'], ['a woodwind instrument', 'plays low notes', 'playing low notes'], ['a double reed instrument', 'plays deep notes', 'playing deep notes'], ['a bassoon', 'plays a reedy melody', 'playing a reedy melody']], false),
  tux('toilet', 'household/toilet.ogg', 'household', ['toilet', 'flush', 'water'], [['a toilet', 'flushes', 'flushing'], ['water', 'rushes through a flushing toilet', 'rushing through a flushing toilet'], ['a toilet cistern', 'gurgles', 'gurgling'], ['someone', 'flushes a toilet', 'flushing a toilet'], ['a lavatory', 'flushes', 'flushing']]),
  tux('hammer', 'household/tools/hammer.ogg', 'tool', ['hammer', 'hit'], [['a hammer', 'strikes', 'striking'], ['someone', 'hammers', 'hammering'], ['a carpenter', 'hammers away', 'hammering away'], ['a hammer', 'knocks on wood', 'knocking on wood'], ['someone', 'drives in a nail', 'driving in a nail']]),
  tux('mallet', 'household/tools/mallet_metal.ogg', 'tool', ['hammer', 'metal', 'hit'], [['a metal mallet', 'strikes', 'striking'], ['metal', 'clanks', 'clanking'], ['a mallet', 'bangs on metal', 'banging on metal'], ['a mallet', 'clangs against steel', 'clanging against steel']]),
  tux('saw', 'household/tools/saw.ogg', 'tool', ['saw', 'wood'], [['a hand saw', 'cuts wood', 'cutting wood'], ['someone', 'saws wood', 'sawing wood'], ['a carpenter', 'saws a plank', 'sawing a plank'], ['a saw blade', 'rasps through timber', 'rasping through timber'], ['a woodworker', 'saws through a board', 'sawing through a board']]),
  tux('scissors', 'household/arttools/scissors_small_closed.ogg', 'tool', ['scissors', 'snip'], [['scissors', 'snip', 'snipping'], ['a pair of scissors', 'cuts', 'cutting'], ['shears', 'snip and close', 'snipping and closing'], ['a pair of scissors', 'snips shut', 'snipping shut']]),
  tux('rubberduck', 'household/rubberduck.ogg', 'household', ['toy', 'squeak'], [['a rubber duck', 'squeaks', 'squeaking'], ['a squeaky toy', 'squeaks', 'squeaking'], ['a bath toy', 'is squeezed', 'being squeezed'], ['a rubber toy', 'honks', 'honking'], ['a child\'s toy', 'squeaks when squeezed', 'squeaking when squeezed']]),
  tux('thunder', 'naturalforces/lightningbolt.ogg', 'weather', ['thunder', 'storm'], [['thunder', 'rumbles', 'rumbling'], ['a thunderclap', 'crashes', 'crashing'], ['a storm', 'thunders', 'thundering'], ['a thunderstorm', 'rolls overhead', 'rolling overhead'], ['a storm', 'brings a clap of thunder', 'bringing a clap of thunder']], false),
  tux('fireworks', 'seasonal/newyears/fireworks.ogg', 'impact', ['fireworks', 'explosion'], [['fireworks', 'explode', 'exploding'], ['fireworks', 'pop and crackle', 'popping and crackling'], ['firecrackers', 'bang and crackle', 'banging and crackling'], ['rockets', 'burst in the sky', 'bursting in the sky'], ['a fireworks display', 'bangs and fizzes', 'banging and fizzing']]),
  tux('firetruck', 'vehicles/emergency/firetruck.ogg', 'vehicle', ['siren', 'fire_truck'], [['a fire truck siren', 'wails', 'wailing'], ['a siren', 'sounds', 'sounding'], ['an emergency vehicle', 'passes with its siren on', 'passing with its siren on'], ['a fire engine', 'races by with its siren on', 'racing by with its siren on'], ['a fire engine', 'speeds past with its siren wailing', 'speeding past with its siren wailing']], false),

  wes('birds1', 'ambient/birds1.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['several birds', 'sing', 'singing'], ['a flock of birds', 'chatters', 'chattering'], ['songbirds', 'warble', 'warbling'], ['birds in a forest', 'call to each other', 'calling to each other']], false),
  wes('birds2', 'ambient/birds2.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['birds', 'sing and call', 'singing and calling'], ['wild birds', 'tweet and whistle', 'tweeting and whistling'], ['a chorus of birds', 'sings', 'singing']], false),
  wes('birds3', 'ambient/birds3.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['small birds', 'twitter', 'twittering'], ['little birds', 'cheep', 'cheeping'], ['tiny songbirds', 'flit and peep', 'flitting and peeping']], false),
  wes('campfire', 'ambient/campfire.ogg', 'fire', ['fire', 'crackle'], [['a campfire', 'crackles', 'crackling'], ['a fire', 'burns and pops', 'burning and popping'], ['burning wood', 'crackles', 'crackling'], ['logs', 'crackle in a fire', 'crackling in a fire'], ['a bonfire', 'hisses and snaps', 'hissing and snapping'], ['embers', 'sizzle and crackle', 'sizzling and crackling']], false),
  wes('wardrums', 'ambient/wardrums.ogg', 'drums', ['drums', 'drumbeat'], [['drums', 'beat steadily', 'beating steadily'], ['large drums', 'pound', 'pounding'], ['war drums', 'thump rhythmically', 'thumping rhythmically'], ['heavy drums', 'rumble', 'rumbling'], ['drummers', 'keep a marching beat', 'keeping a marching beat']], false),
  wes('flame', 'fire.wav', 'fire', ['fire', 'whoosh'], [['flames', 'whoosh', 'whooshing'], ['a burst of fire', 'roars', 'roaring'], ['a gust of flame', 'blasts', 'blasting'], ['fire', 'flares up', 'flaring up'], ['a fireball', 'whooshes past', 'whooshing past']]),
  wes('lightning', 'lightning.ogg', 'weather', ['thunder', 'lightning'], [['thunder', 'cracks', 'cracking'], ['a lightning strike', 'crackles and booms', 'crackling and booming'], ['a bolt of lightning', 'strikes', 'striking'], ['thunder', 'cracks overhead', 'cracking overhead']]),
  wes('explosion', 'explosion.ogg', 'impact', ['explosion', 'boom'], [['an explosion', 'booms', 'booming'], ['something', 'explodes', 'exploding'], ['something', 'blows up', 'blowing up'], ['a blast', 'thunders', 'thundering'], ['a bomb', 'detonates', 'detonating']]),
  wes('gunshot', 'gunshot.wav', 'weapon', ['gunshot', 'gun'], [['a gun', 'fires', 'firing'], ['a gunshot', 'rings out', 'ringing out'], ['a firearm', 'is fired', 'being fired'], ['a shot', 'goes off', 'going off'], ['someone', 'shoots a gun', 'shooting a gun']]),
  wes('rumble', 'rumble.ogg', 'impact', ['rumble', 'earthquake'], [['the ground', 'rumbles', 'rumbling'], ['a deep rumble', 'builds up', 'building up'], ['an earthquake', 'shakes the ground', 'shaking the ground'], ['the earth', 'trembles', 'trembling']], false),
  wes('cave-in', 'cave-in.ogg', 'impact', ['rocks', 'collapse'], [['rocks', 'tumble down', 'tumbling down'], ['rubble', 'collapses', 'collapsing'], ['stones', 'crash and slide', 'crashing and sliding'], ['a rockslide', 'thunders down', 'thundering down'], ['a cave', 'caves in', 'caving in'], ['boulders', 'crash down', 'crashing down']]),
  wes('horse-canter', 'horse-canter.wav', 'animal', ['horse', 'hooves'], [['a horse', 'canters', 'cantering'], ['hooves', 'clop', 'clopping'], ['hoofbeats', 'drum on the ground', 'drumming on the ground'], ['a horse', 'runs', 'running'], ['a horse and rider', 'canter along', 'cantering along']]),
  wes('horse-elf-canter', 'horse-elf-canter.wav', 'animal', ['horse', 'hooves'], [['a horse', 'canters', 'cantering'], ['hooves', 'beat on the ground', 'beating on the ground'], ['horseshoes', 'clatter', 'clattering'], ['hooves', 'pound the dirt', 'pounding the dirt']]),
  wes('bat-wings', 'bat-flapping.wav', 'animal', ['wings', 'flap'], [['wings', 'flap', 'flapping'], ['a bat', 'flaps its wings', 'flapping its wings'], ['a flying creature', 'beats its wings', 'beating its wings'], ['a bird', 'flutters its wings', 'fluttering its wings']]),
  ...[1, 2, 3, 4].map((i) => wes(`wolf-growl-${i}`, `wolf-growl-${i}.ogg`, 'animal', ['wolf', 'growl'], [['a wolf', 'growls', 'growling'], ['an animal', 'snarls', 'snarling'], ['a wolf', 'growls menacingly', 'growling menacingly'], ['a hostile wolf', 'bares its teeth and growls', 'baring its teeth and growling']])),
  ...[1, 2, 3].map((i) => wes(`human-die-${i}`, `human-die-${i}.ogg`, 'human', ['man', 'scream'], [['a man', 'cries out in pain', 'crying out in pain'], ['a man', 'groans', 'groaning'], ['a wounded man', 'yells', 'yelling'], ['a man', 'lets out a dying cry', 'letting out a dying cry']])),
  ...[1, 2, 3, 4, 5].map((i) => wes(`human-hit-${i}`, `human-hit-${i}.ogg`, 'human', ['man', 'grunt'], [['a man', 'grunts', 'grunting'], ['a man', 'grunts in pain', 'grunting in pain'], ['a man', 'groans from a blow', 'groaning from a blow'], ['a man', 'is punched and grunts', 'being punched and grunting']])),
  ...[1, 2, 3].map((i) => wes(`human-female-hit-${i}`, `human-female-hit-${i}.ogg`, 'human', ['woman', 'grunt'], [['a woman', 'gasps', 'gasping'], ['a woman', 'grunts in pain', 'grunting in pain'], ['a woman', 'yelps', 'yelping'], ['a woman', 'is struck and cries out', 'being struck and crying out']])),
  ...[1, 2, 3].map((i) => wes(`human-female-die-${i}`, `human-female-die-${i}.ogg`, 'human', ['woman', 'scream'], [['a woman', 'cries out', 'crying out'], ['a woman', 'screams in pain', 'screaming in pain'], ['a woman', 'shrieks', 'shrieking'], ['a woman', 'wails in agony', 'wailing in agony']])),
  wes('laugh', 'dwarf-laugh.wav', 'human', ['man', 'laughter'], [['a man', 'laughs', 'laughing'], ['a man', 'laughs heartily', 'laughing heartily'], ['a man', 'chuckles loudly', 'chuckling loudly'], ['a jolly voice', 'guffaws', 'guffawing'], ['a man', 'roars with laughter', 'roaring with laughter']]),
  wes('groan', 'groan.wav', 'human', ['man', 'groan'], [['a man', 'groans', 'groaning'], ['a person', 'moans', 'moaning'], ['a male voice', 'groans', 'groaning'], ['a man', 'lets out a low groan', 'letting out a low groan']]),
  wes('bow', 'bow.ogg', 'weapon', ['bow', 'arrow'], [['an arrow', 'is shot from a bow', 'being shot from a bow'], ['a bowstring', 'twangs', 'twanging'], ['an archer', 'releases an arrow', 'releasing an arrow'], ['an arrow', 'whizzes through the air', 'whizzing through the air']]),
  wes('sword', 'sword-1.ogg', 'weapon', ['sword', 'metal'], [['a sword', 'clangs', 'clanging'], ['metal blades', 'clash', 'clashing'], ['steel', 'rings', 'ringing'], ['two swords', 'collide', 'colliding'], ['swordsmen', 'cross blades', 'crossing blades']]),
  wes('axe', 'axe.ogg', 'weapon', ['axe', 'chop'], [['an axe', 'chops', 'chopping'], ['an axe', 'swings and strikes', 'swinging and striking'], ['an axe blade', 'thunks into wood', 'thunking into wood'], ['a lumberjack', 'chops at a log', 'chopping at a log']]),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => wes(`horn-${i}`, `horn-signals/horn-${i}.ogg`, 'music', ['horn', 'brass'], [['a horn', 'sounds', 'sounding'], ['a brass horn', 'blows a signal', 'blowing a signal'], ['a signal horn', 'calls', 'calling'], ['a horn player', 'blows a call', 'blowing a call']], false)),
  wes('fanfare', 'fanfare-short.wav', 'music', ['trumpet', 'fanfare'], [['trumpets', 'play a short fanfare', 'playing a short fanfare'], ['brass instruments', 'play a fanfare', 'playing a fanfare'], ['a trumpet ensemble', 'plays a flourish', 'playing a flourish'], ['heralds', 'sound a fanfare', 'sounding a fanfare']]),
  wes('splash', 'water-blast.wav', 'nature', ['water', 'splash'], [['water', 'splashes', 'splashing'], ['a wave of water', 'crashes', 'crashing'], ['water', 'sloshes', 'sloshing'], ['a splash of water', 'erupts', 'erupting'], ['a jet of water', 'gushes', 'gushing']]),
  wes('chest', 'open-chest.wav', 'household', ['creak', 'wood'], [['a wooden chest', 'creaks open', 'creaking open'], ['a wooden lid', 'creaks', 'creaking'], ['old hinges', 'squeak', 'squeaking'], ['a trunk', 'opens', 'opening'], ['a rusty hinge', 'creaks', 'creaking']]),
  wes('coins', 'gold.ogg', 'household', ['coins', 'jingle'], [['coins', 'jingle', 'jingling'], ['metal coins', 'clink together', 'clinking together'], ['money', 'jingles', 'jingling'], ['loose change', 'rattles', 'rattling'], ['a purse of coins', 'jingles', 'jingling'], ['someone', 'counts out coins', 'counting out coins']]),
];

// General MIDI instruments rendered by fluidsynth (0-based program numbers).
export interface Instrument { program: number; id: string; category: Category; tags: string[]; subjects: string[] }
export const INSTRUMENTS: Instrument[] = [
  { program: 0, id: 'piano', category: 'music', tags: ['piano'], subjects: ['a piano', 'a grand piano', 'a keyboard instrument', 'a pianist'] },
  { program: 6, id: 'harpsichord', category: 'music', tags: ['harpsichord'], subjects: ['a harpsichord', 'a plucked keyboard', 'a baroque keyboard', 'a harpsichordist'] },
  { program: 11, id: 'vibraphone', category: 'music', tags: ['vibraphone'], subjects: ['a vibraphone', 'a mallet instrument', 'a vibes player'] },
  { program: 12, id: 'marimba', category: 'music', tags: ['marimba'], subjects: ['a marimba', 'a wooden mallet instrument', 'a marimba player'] },
  { program: 14, id: 'tubular-bells', category: 'music', tags: ['bells'], subjects: ['tubular bells', 'chiming bells'] },
  { program: 19, id: 'church-organ', category: 'music', tags: ['organ'], subjects: ['a church organ', 'a pipe organ', 'an organist'] },
  { program: 21, id: 'accordion', category: 'music', tags: ['accordion'], subjects: ['an accordion', 'a squeezebox', 'an accordionist'] },
  { program: 22, id: 'harmonica', category: 'music', tags: ['harmonica'], subjects: ['a harmonica', 'a mouth organ', 'a harmonica player'] },
  { program: 24, id: 'nylon-guitar', category: 'music', tags: ['guitar'], subjects: ['an acoustic guitar', 'a classical guitar', 'a nylon-string guitar', 'a guitarist'] },
  { program: 25, id: 'steel-guitar', category: 'music', tags: ['guitar'], subjects: ['an acoustic guitar', 'a steel-string guitar', 'a folk guitarist'] },
  { program: 32, id: 'acoustic-bass', category: 'music', tags: ['bass'], subjects: ['a double bass', 'an acoustic bass', 'an upright bass', 'a bassist'] },
  { program: 40, id: 'violin', category: 'music', tags: ['violin', 'strings'], subjects: ['a violin', 'a fiddle'] },
  { program: 42, id: 'cello', category: 'music', tags: ['cello', 'strings'], subjects: ['a cello', 'a violoncello', 'a cellist'] },
  { program: 46, id: 'harp', category: 'music', tags: ['harp'], subjects: ['a harp', 'a concert harp', 'a harpist'] },
  { program: 48, id: 'strings', category: 'music', tags: ['strings', 'orchestra'], subjects: ['a string section', 'an ensemble of strings'] },
  { program: 56, id: 'trumpet', category: 'music', tags: ['trumpet', 'brass'], subjects: ['a trumpet', 'a brass trumpet', 'a trumpeter'] },
  { program: 57, id: 'trombone', category: 'music', tags: ['trombone', 'brass'], subjects: ['a trombone', 'a slide trombone', 'a trombonist'] },
  { program: 60, id: 'french-horn', category: 'music', tags: ['horn', 'brass'], subjects: ['a french horn'] },
  { program: 65, id: 'alto-sax', category: 'music', tags: ['saxophone'], subjects: ['a saxophone', 'an alto saxophone', 'a sax', 'a saxophonist'] },
  { program: 68, id: 'oboe', category: 'music', tags: ['oboe', 'woodwind'], subjects: ['an oboe', 'a double-reed woodwind', 'an oboist'] },
  { program: 71, id: 'clarinet', category: 'music', tags: ['clarinet', 'woodwind'], subjects: ['a clarinet', 'a reed woodwind', 'a clarinettist'] },
  { program: 73, id: 'flute', category: 'music', tags: ['flute', 'woodwind'], subjects: ['a flute', 'a concert flute', 'a flautist'] },
  { program: 75, id: 'pan-flute', category: 'music', tags: ['pan_flute', 'woodwind'], subjects: ['a pan flute', 'pan pipes'] },
  { program: 80, id: 'square-lead', category: 'electronic', tags: ['synthesizer'], subjects: ['a synthesizer', 'an electronic keyboard', 'a synth lead'] },
  { program: 105, id: 'banjo', category: 'music', tags: ['banjo'], subjects: ['a banjo', 'a twangy banjo', 'a banjo player'] },
  { program: 114, id: 'steel-drums', category: 'music', tags: ['steel_drum'], subjects: ['steel drums', 'a steel pan', 'a Caribbean steel drum'] },
];

/** GM sound-effect programs: sampled imitations, described as what they imitate. */
export interface Effect { program: number; id: string; note: number; category: Category; tags: string[]; say: Say[] }
export const GM_EFFECTS: Effect[] = [
  { program: 122, id: 'seashore', note: 60, category: 'nature', tags: ['waves', 'sea'], say: [['waves', 'wash onto a shore', 'washing onto a shore'], ['the sea', 'surges and recedes', 'surging and receding'], ['surf', 'breaks on a beach', 'breaking on a beach'], ['the ocean', 'laps at a beach', 'lapping at a beach']] },
  { program: 123, id: 'bird-tweet', note: 72, category: 'bird', tags: ['bird', 'tweet'], say: [['a bird', 'tweets', 'tweeting'], ['a small bird', 'chirps', 'chirping'], ['a songbird', 'peeps', 'peeping'], ['a tiny bird', 'chirrups brightly', 'chirruping brightly']] },
  { program: 124, id: 'telephone', note: 60, category: 'alarm', tags: ['telephone', 'ring'], say: [['a telephone', 'rings', 'ringing'], ['a phone', 'rings repeatedly', 'ringing repeatedly'], ['a telephone', 'rings insistently', 'ringing insistently'], ['an old phone', 'rings for a call', 'ringing for a call']] },
  { program: 125, id: 'helicopter', note: 60, category: 'vehicle', tags: ['helicopter'], say: [['a helicopter', 'whirs', 'whirring'], ['helicopter blades', 'chop through the air', 'chopping through the air'], ['a chopper', 'thrums', 'thrumming'], ['an aircraft', 'flies with a throbbing rotor', 'flying with a throbbing rotor']] },
  { program: 126, id: 'applause', note: 60, category: 'human', tags: ['applause', 'crowd'], say: [['a crowd', 'applauds', 'applauding'], ['people', 'clap their hands', 'clapping their hands'], ['an audience', 'gives a round of applause', 'giving a round of applause'], ['spectators', 'cheer and applaud', 'cheering and applauding']] },
  { program: 127, id: 'gunshot', note: 60, category: 'weapon', tags: ['gunshot', 'gun'], say: [['a gun', 'fires', 'firing'], ['gunshots', 'ring out', 'ringing out'], ['a firearm', 'is discharged', 'being discharged'], ['a pistol or rifle', 'goes bang', 'going bang']] },
];

/** espeak-ng voices: [voice, language name (undefined = English), gender]. */
export const VOICES: [string, string | undefined, 'male' | 'female'][] = [
  ['en', undefined, 'male'], ['en+f3', undefined, 'female'], ['en-us', undefined, 'male'], ['en-us+f2', undefined, 'female'],
  ['en-gb-scotland', undefined, 'male'], ['en+m3', undefined, 'male'], ['en+f4', undefined, 'female'], ['en-029', undefined, 'male'],
  ['de', 'German', 'male'], ['de+f3', 'German', 'female'], ['fr', 'French', 'male'], ['fr+f2', 'French', 'female'],
  ['es', 'Spanish', 'male'], ['es+f3', 'Spanish', 'female'], ['it', 'Italian', 'male'],
];
/** What each English sentence is about, as [verb phrase, gerund] pairs: a caption may say them, the words are audible. */
export const SENTENCE_TOPICS: Record<string, [string, string][]> = {
  'The train to the city leaves in ten minutes from platform four.': [['announces a train departure', 'announcing a train departure'], ['tells passengers which platform to go to', 'telling passengers which platform to go to']],
  'Please remember to close the window before you go to sleep.': [['reminds someone to shut the window', 'reminding someone to shut the window'], ['gives a bedtime reminder', 'giving a bedtime reminder']],
  'We walked along the river until the sun went down.': [['describes a walk by a river at sunset', 'describing a walk by a river at sunset'], ['recalls a stroll along a riverbank', 'recalling a stroll along a riverbank']],
  'Could you pass me the salt and the pepper, please?': [['asks for the salt and pepper', 'asking for the salt and pepper'], ['makes a polite request at the table', 'making a polite request at the table']],
  'The weather tomorrow will be cold and windy with some rain.': [['reads a weather forecast', 'reading a weather forecast'], ['predicts cold, windy and rainy weather', 'predicting cold, windy and rainy weather']],
  'My brother bought a new bicycle last weekend.': [['mentions a brother and a new bicycle', 'mentioning a brother and a new bicycle'], ['talks about a sibling buying a bike', 'talking about a sibling buying a bike']],
  'Turn left at the next corner and the library is on your right.': [['gives directions to a library', 'giving directions to a library'], ['explains the way to a library', 'explaining the way to a library']],
  'The meeting has been moved to Thursday afternoon.': [['says a meeting was rescheduled', 'saying a meeting was rescheduled'], ['announces a change to a meeting', 'announcing a change to a meeting']],
  'She plays the piano every evening after dinner.': [['talks about someone who practises every evening', 'talking about someone who practises every evening'], ['describes a pianist\'s evening habit', 'describing a pianist\'s evening habit']],
  'Keep your hands and arms inside the vehicle at all times.': [['gives a safety instruction for passengers', 'giving a safety instruction for passengers'], ['warns riders to stay seated safely', 'warning riders to stay seated safely']],
  'There are seven apples and three oranges in the basket.': [['counts fruit in a basket', 'counting fruit in a basket'], ['lists apples and oranges', 'listing apples and oranges']],
  'The museum opens at nine and closes at five.': [['states the opening hours of a museum', 'stating the opening hours of a museum'], ['tells visitors when a museum is open', 'telling visitors when a museum is open']],
  'The flight to London has been delayed by two hours.': [['announces a delayed flight', 'announcing a delayed flight'], ['reports a delay at an airport', 'reporting a delay at an airport']],
  'Please switch off your mobile phones during the concert.': [['asks an audience to turn off phones', 'asking an audience to turn off phones'], ['makes an announcement before a concert', 'making an announcement before a concert']],
  'Mix the flour with two eggs and a cup of milk.': [['reads out a recipe', 'reading out a recipe'], ['gives baking instructions', 'giving baking instructions']],
  'The children are playing football in the park.': [['describes kids playing soccer', 'describing kids playing soccer'], ['talks about a game in a park', 'talking about a game in a park']],
  'Your package will be delivered on Monday morning.': [['announces a parcel delivery', 'announcing a parcel delivery'], ['tells someone when a package arrives', 'telling someone when a package arrives']],
  'The doctor will see you in a few minutes.': [['speaks like a receptionist at a clinic', 'speaking like a receptionist at a clinic'], ['tells a patient to wait', 'telling a patient to wait']],
  'Mind the gap between the train and the platform.': [['warns passengers about the gap', 'warning passengers about the gap'], ['gives a subway safety warning', 'giving a subway safety warning']],
  'The store will close in fifteen minutes.': [['announces that a shop is closing', 'announcing that a shop is closing'], ['tells shoppers to finish up', 'telling shoppers to finish up']],
};
export const SENTENCES: Record<string, string[]> = {
  English: [
    'The train to the city leaves in ten minutes from platform four.',
    'Please remember to close the window before you go to sleep.',
    'We walked along the river until the sun went down.',
    'Could you pass me the salt and the pepper, please?',
    'The weather tomorrow will be cold and windy with some rain.',
    'My brother bought a new bicycle last weekend.',
    'Turn left at the next corner and the library is on your right.',
    'The meeting has been moved to Thursday afternoon.',
    'She plays the piano every evening after dinner.',
    'Keep your hands and arms inside the vehicle at all times.',
    'There are seven apples and three oranges in the basket.',
    'The museum opens at nine and closes at five.',
    'The flight to London has been delayed by two hours.',
    'Please switch off your mobile phones during the concert.',
    'Mix the flour with two eggs and a cup of milk.',
    'The children are playing football in the park.',
    'Your package will be delivered on Monday morning.',
    'The doctor will see you in a few minutes.',
    'Mind the gap between the train and the platform.',
    'The store will close in fifteen minutes.',
  ],
  German: ['Guten Morgen, wie geht es dir heute?', 'Der Zug nach Berlin hat zehn Minuten Verspätung.', 'Ich möchte gerne einen Kaffee mit Milch.'],
  French: ['Bonjour, je voudrais un billet pour Paris.', 'Il fait très beau aujourd\'hui au bord de la mer.', 'Nous allons au marché demain matin.'],
  Spanish: ['Buenos días, ¿dónde está la estación de tren?', 'Mañana vamos a la playa con mis amigos.', 'La cena está lista en la cocina.'],
  Italian: ['Buongiorno, vorrei un caffè per favore.', 'Domani andiamo al mare con la famiglia.', 'Il museo è chiuso il lunedì.'],
};

/**
 * sox-synthesised textures. A variant is one or more units, each the effect arguments after
 * `sox -n unit.wav`; units are concatenated. `loop` repeats the result to fill the clip; otherwise
 * the single unit is continuous and its `synth` gets the clip length.
 */
export interface Texture { id: string; variants: { units: string[][]; loop?: boolean }[]; category: Category; tags: string[]; say: Say[] }
const cont = (...args: string[]): { units: string[][] } => ({ units: [args] });
const loop = (...units: string[][]): { units: string[][]; loop: boolean } => ({ units, loop: true });
export const TEXTURES: Texture[] = [
  { id: 'white-noise', category: 'noise', tags: ['static', 'noise'], variants: [cont('synth', 'whitenoise', 'vol', '0.3'), cont('synth', 'whitenoise', 'highpass', '3000')],
    say: [['static', 'hisses', 'hissing'], ['white noise', 'hisses steadily', 'hissing steadily'], ['a hiss like radio static', 'continues', 'continuing'], ['an untuned radio', 'hisses', 'hissing']] },
  { id: 'pink-noise', category: 'noise', tags: ['noise', 'rushing'], variants: [cont('synth', 'pinknoise', 'lowpass', '2000'), cont('synth', 'pinknoise', 'lowpass', '1200')],
    say: [['a soft rushing noise', 'continues', 'continuing'], ['a steady rushing sound', 'fills the air', 'filling the air'], ['a soft whooshing sound', 'goes on', 'going on'], ['a soft wash of noise', 'murmurs on', 'murmuring on']] },
  { id: 'brown-noise', category: 'noise', tags: ['noise', 'rumble'], variants: [cont('synth', 'brownnoise', 'lowpass', '400'), cont('synth', 'brownnoise', 'lowpass', '250')],
    say: [['a low rumbling noise', 'drones on', 'droning on'], ['a deep steady rumble', 'continues', 'continuing'], ['a muffled roar', 'persists', 'persisting'], ['a dull roar like distant surf', 'rolls on', 'rolling on']] },
  { id: 'mains-hum', category: 'electronic', tags: ['hum', 'electrical'], variants: [cont('synth', 'sine', '50', 'sine', '100', 'sine', '150', 'remix', '-'), cont('synth', 'sine', '60', 'sine', '120', 'sine', '180', 'remix', '-')],
    say: [['an electrical hum', 'drones', 'droning'], ['a low mains hum', 'buzzes steadily', 'buzzing steadily'], ['electrical equipment', 'hums', 'humming'], ['a transformer', 'hums and buzzes', 'humming and buzzing']] },
  { id: 'beeps', category: 'electronic', tags: ['beep'], variants: [loop(['synth', '0.15', 'sine', '1000', 'pad', '0', '0.35']), loop(['synth', '0.1', 'sine', '1800', 'pad', '0', '0.2']), loop(['synth', '0.3', 'square', '800', 'vol', '0.3', 'pad', '0', '0.5'])],
    say: [['an electronic device', 'beeps repeatedly', 'beeping repeatedly'], ['a series of beeps', 'sounds', 'sounding'], ['a machine', 'beeps at a steady rate', 'beeping at a steady rate'], ['an electronic beeper', 'bleeps', 'bleeping'], ['a timer or alarm clock', 'beeps', 'beeping']] },
  { id: 'two-tone-alarm', category: 'alarm', tags: ['alarm', 'siren'], variants: [loop(['synth', '0.4', 'square', '700', 'vol', '0.3'], ['synth', '0.4', 'square', '950', 'vol', '0.3']), loop(['synth', '0.25', 'sine', '900'], ['synth', '0.25', 'sine', '1300'])],
    say: [['an alarm', 'sounds', 'sounding'], ['a two-tone alarm', 'blares', 'blaring'], ['an alarm', 'alternates between two tones', 'alternating between two tones'], ['a warning siren', 'wails', 'wailing'], ['a security alarm', 'blares on and off', 'blaring on and off']] },
  { id: 'sweep-up', category: 'electronic', tags: ['tone', 'sweep'], variants: [cont('synth', 'sine', '200-2000'), cont('synth', 'sine', '300-3000')],
    say: [['an electronic tone', 'rises in pitch', 'rising in pitch'], ['a whistling tone', 'slides upward', 'sliding upward'], ['a synthetic tone', 'climbs', 'climbing'], ['a rising whistle', 'glides higher', 'gliding higher']] },
  { id: 'sweep-down', category: 'electronic', tags: ['tone', 'sweep'], variants: [cont('synth', 'sine', '2000-200'), cont('synth', 'sine', '2500-300')],
    say: [['an electronic tone', 'falls in pitch', 'falling in pitch'], ['a whistling tone', 'slides downward', 'sliding downward'], ['a synthetic tone', 'drops', 'dropping'], ['a falling whistle', 'glides lower', 'gliding lower']] },
  { id: 'dial-tone', category: 'electronic', tags: ['telephone', 'tone'], variants: [cont('synth', 'sine', '350', 'sine', '440', 'remix', '-')],
    say: [['a telephone dial tone', 'hums', 'humming'], ['a steady telephone tone', 'sounds', 'sounding'], ['a landline', 'gives a dial tone', 'giving a dial tone'], ['a phone line', 'buzzes with a dial tone', 'buzzing with a dial tone']] },
  { id: 'pure-tone', category: 'electronic', tags: ['tone'], variants: [cont('synth', 'sine', '440'), cont('synth', 'sine', '1000'), cont('synth', 'sine', '3000', 'vol', '0.5')],
    say: [['a pure tone', 'sounds steadily', 'sounding steadily'], ['a single steady tone', 'rings', 'ringing'], ['a test tone', 'sounds continuously', 'sounding continuously'], ['a sine wave', 'sounds at one pitch', 'sounding at one pitch']] },
];

/**
 * ktuberling-data (full corpus only): recordings of people saying object names. English files are
 * the words their names say (the sound theme maps name -> file one-to-one); for other languages
 * only the language is stated. Prefixed theme files (egypt_*, moon_*, ...) are left out: which
 * word is spoken there is not certain from the name.
 */
export const KTUBERLING_ROOT = 'usr/share/ktuberling/sounds/';
export const KTUBERLING_EN = ['ball', 'bow', 'coat', 'ear', 'earring', 'eye', 'eyebrow', 'flower', 'hair', 'hat', 'moustache', 'mouth', 'nose',
  'shoe', 'shorts', 'skirt', 'spectacles', 'stick', 'sunglasses', 'tie', 'umbrella'];
export const KTUBERLING_OTHER: [code: string, language: string, files: string[]][] = [
  ['de', 'German', ['ball.ogg', 'bow.ogg', 'coat.ogg', 'ear.ogg', 'eye.ogg', 'flower.ogg']],
  ['fr', 'French', ['bouche.wav', 'chapeau.wav', 'cheveux.wav', 'cravate.wav', 'lunettes.wav', 'moustache.wav']],
  ['it', 'Italian', ['baffi.wav', 'bocca.wav', 'capelli.wav', 'cappello.wav', 'cravatta.wav', 'naso.wav']],
  ['es', 'Spanish', ['bigote.wav', 'boca.wav', 'ceja.wav', 'lazo.wav', 'nariz.wav', 'ojo.wav']],
  ['nl', 'Dutch', ['bril.wav', 'haar.wav', 'hoed.wav', 'mond.wav', 'neus.wav', 'oog.wav']],
  ['sv', 'Swedish', ['fluga.wav', 'har.wav', 'hatt.wav', 'mun.wav', 'mustasch.wav', 'nasa.wav']],
  ['ru', 'Russian', ['ball.ogg', 'bow.ogg', 'coat.ogg', 'ear.ogg', 'eye.ogg', 'flower.ogg']],
];

export function ktuberlingSources(): FileSource[] {
  const pkg = 'ktuberling-data';
  const en = KTUBERLING_EN.map((w): FileSource => ({
    kind: 'file', id: `ktuberling/en/${w}`, pkg, path: `${KTUBERLING_ROOT}en/${w}.ogg`, category: 'speech', tags: ['speech', 'word', 'english'], repeat: true, full: true,
    say: [['a person', `says the word "${w}"`, `saying the word "${w}"`], ['a voice', `says "${w}"`, `saying "${w}"`], ['someone', `pronounces the word "${w}"`, `pronouncing the word "${w}"`]],
  }));
  const other = KTUBERLING_OTHER.flatMap(([code, lang, files]) => files.map((f): FileSource => ({
    kind: 'file', id: `ktuberling/${code}/${f.replace(/\.\w+$/, '')}`, pkg, path: `${KTUBERLING_ROOT}${code}/${f}`, category: 'speech',
    tags: ['speech', 'word', lang.toLowerCase()], repeat: true, full: true,
    say: [['a person', `says a single word in ${lang}`, `saying a single word in ${lang}`], ['a voice', `speaks one ${lang} word`, `speaking one ${lang} word`]],
  })));
  return [...en, ...other];
}

/** megaglest-data (full corpus only): tileset ambiences and unit sounds named for their source. */
const MG = 'usr/share/games/megaglest/';
const mg = (id: string, path: string, category: Category, tags: string[], say: Say[], repeat: boolean): FileSource =>
  ({ kind: 'file', id: `megaglest/${id}`, pkg: 'megaglest-data', path: MG + path, category, tags, say, repeat, full: true });
const MGS = 'techs/megapack/commondata/sounds/';
export const MEGAGLEST_SOURCES: FileSource[] = [
  mg('owl', 'tilesets/autumn/sounds/owl.ogg', 'bird', ['owl', 'hoot'], [['an owl', 'hoots', 'hooting'], ['an owl', 'calls in the night', 'calling in the night']], true),
  mg('rooster', 'tilesets/autumn/sounds/rooster.ogg', 'bird', ['rooster', 'crow'], [['a rooster', 'crows', 'crowing'], ['a cockerel', 'crows', 'crowing']], true),
  mg('chicken', 'tilesets/birch_forest/sounds/chicken.wav', 'bird', ['chicken', 'cluck'], [['a chicken', 'clucks', 'clucking'], ['a hen', 'clucks', 'clucking']], true),
  mg('hawk', 'tilesets/desert2/sounds/hawk.ogg', 'bird', ['hawk', 'screech'], [['a hawk', 'screeches', 'screeching'], ['a bird of prey', 'cries out', 'crying out']], true),
  mg('cow', 'tilesets/pine_peat/sounds/mudchute_cow_1.ogg', 'animal', ['cow', 'moo'], [['a cow', 'moos', 'mooing'], ['a cow', 'lows', 'lowing']], true),
  mg('wolf-birch', 'tilesets/birch_forest/sounds/wolf.wav', 'animal', ['wolf'], [['a wolf', 'calls out', 'calling out'], ['a wild animal', 'cries out', 'crying out']], false),
  mg('wolf-desert', 'tilesets/desert2/sounds/wolf.wav', 'animal', ['wolf'], [['a wolf', 'calls out', 'calling out'], ['a wild animal', 'cries out', 'crying out']], true),
  ...[['autumn', 'rain.ogg'], ['birch_forest', 'rain.ogg'], ['dark_forest', 'rain.ogg'], ['desert2', 'rain.wav']].map(([t, f]) =>
    mg(`rain-${t}`, `tilesets/${t}/sounds/${f}`, 'weather', ['rain'], [['rain', 'falls steadily', 'falling steadily'], ['rain', 'pours down', 'pouring down'], ['raindrops', 'patter', 'pattering']], false)),
  ...['winter', 'winter_forest'].map((t) => mg(`wind-${t}`, `tilesets/${t}/sounds/wind.ogg`, 'weather', ['wind'], [['the wind', 'howls', 'howling'], ['a strong wind', 'blows', 'blowing']], false)),
  ...[1, 2, 3, 4].map((i) => mg(`anvil-${i}`, `${MGS}anvil${i}.wav`, 'tool', ['anvil', 'metal', 'hammer'], [['a hammer', 'strikes an anvil', 'striking an anvil'], ['metal', 'rings on an anvil', 'ringing on an anvil']], true)),
  ...[1, 2, 3, 4].map((i) => mg(`pig-${i}`, `${MGS}pig_ack${i}.wav`, 'animal', ['pig', 'oink'], [['a pig', 'grunts', 'grunting'], ['a pig', 'oinks', 'oinking']], true)),
  ...[1, 2, 3].map((i) => mg(`chop-${i}`, `${MGS}worker_harvest_wood${i}.wav`, 'tool', ['axe', 'wood', 'chop'], [['an axe', 'chops wood', 'chopping wood'], ['someone', 'chops wood', 'chopping wood']], true)),
  ...[1, 2, 3].map((i) => mg(`pick-${i}`, `${MGS}worker_mine${i}.wav`, 'tool', ['pickaxe', 'rock'], [['a pickaxe', 'strikes rock', 'striking rock'], ['someone', 'digs at rock with a pick', 'digging at rock with a pick']], true)),
];

/**
 * extremetuxracer-data and frozen-bubble-data (full corpus only): recordings named for what they
 * are (a sled sliding over six surfaces, a collision with a tree; applause, snoring; a typewriter key,
 * 0.26 s, measured -47 dBFS RMS in a 10 s clip and is left out). The games' interface and music files are left out.
 */
const ETR = 'usr/share/games/etr/sounds/';
const etr = (id: string, file: string, tags: string[], say: Say[], repeat: boolean): FileSource =>
  ({ kind: 'file', id: `etr/${id}`, pkg: 'extremetuxracer-data', path: ETR + file, category: 'nature', tags, say, repeat, full: true });
const FB = 'usr/share/games/frozen-bubble/snd/';
const fb = (id: string, file: string, category: Category, tags: string[], say: Say[]): FileSource =>
  ({ kind: 'file', id: `frozen-bubble/${id}`, pkg: 'frozen-bubble-data', path: FB + file, category, tags, say, repeat: true, full: true });
export const GAME_SOURCES: FileSource[] = [
  etr('snow', 'snow_slide.wav', ['snow', 'slide'], [['a sled', 'slides over snow', 'sliding over snow'], ['someone', 'glides across powder snow', 'gliding across powder snow'], ['snow', 'swishes under a sledge', 'swishing under a sledge'], ['a toboggan', 'hisses down a slope', 'hissing down a slope']], true),
  etr('ice', 'ice_slide.wav', ['ice', 'slide'], [['something', 'scrapes across ice', 'scraping across ice'], ['a sled', 'skids on a frozen surface', 'skidding on a frozen surface'], ['runners', 'grate over ice', 'grating over ice']], true),
  etr('grass', 'grass_slide.wav', ['grass', 'rustle'], [['something', 'slides through grass', 'sliding through grass'], ['a body', 'brushes through long grass', 'brushing through long grass'], ['grass', 'rustles as something slides over it', 'rustling as something slides over it']], true),
  etr('leaves', 'leaves_slide.wav', ['leaves', 'rustle'], [['something', 'slides through dry leaves', 'sliding through dry leaves'], ['fallen leaves', 'rustle and crunch', 'rustling and crunching'], ['someone', 'shuffles through autumn leaves', 'shuffling through autumn leaves']], false),
  etr('mud', 'mud_slide.wav', ['mud', 'squelch'], [['something', 'slides through mud', 'sliding through mud'], ['mud', 'squelches', 'squelching'], ['a body', 'slithers through wet muck', 'slithering through wet muck']], false),
  etr('rock', 'rock_slide.wav', ['rock', 'scrape'], [['something', 'scrapes over rocks', 'scraping over rocks'], ['a sled', 'grinds across stones', 'grinding across stones'], ['gravel', 'crunches and scrapes', 'crunching and scraping']], true),
  etr('tree-hit', 'tree_hit.wav', ['impact', 'wood'], [['something', 'thuds against a tree', 'thudding against a tree'], ['a body', 'bumps into a tree trunk', 'bumping into a tree trunk'], ['a dull wooden thump', 'sounds', 'sounding']], true),
  fb('applause', 'applause.ogg', 'human', ['applause', 'crowd'], [['an audience', 'applauds', 'applauding'], ['a small crowd', 'claps', 'clapping'], ['people', 'give a round of applause', 'giving a round of applause']]),
  fb('snore', 'snore.ogg', 'human', ['snore', 'sleep'], [['someone', 'snores', 'snoring'], ['a sleeper', 'snores loudly', 'snoring loudly'], ['a person', 'breathes heavily in sleep', 'breathing heavily in sleep'], ['a sleeping man', 'snorts and snores', 'snorting and snoring']]),
];
