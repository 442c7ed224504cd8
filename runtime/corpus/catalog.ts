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
  tux('frog', 'animals/amphibians/frog.ogg', 'animal', ['frog', 'croak'], [['a frog', 'croaks', 'croaking'], ['a frog', 'calls out', 'calling out'], ['an amphibian', 'ribbits', 'ribbiting'], ['a frog', 'gives a throaty call', 'giving a throaty call']]),
  tux('blackbird', 'animals/birds/blackbird.ogg', 'bird', ['bird', 'birdsong'], [['a blackbird', 'sings', 'singing'], ['a songbird', 'chirps and whistles', 'chirping and whistling'], ['a bird', 'sings a melodic song', 'singing a melodic song'], ['a thrush', 'warbles a cheerful tune', 'warbling a cheerful tune']], false),
  tux('crow', 'animals/birds/crow.ogg', 'bird', ['crow', 'caw'], [['a crow', 'caws', 'cawing'], ['a large black bird', 'calls harshly', 'calling harshly'], ['a black crow', 'squawks hoarsely', 'squawking hoarsely'], ['a noisy crow', 'gives a rasping call', 'giving a rasping call']]),
  tux('cuckoo', 'animals/birds/cuckoo.ogg', 'bird', ['cuckoo', 'bird_call'], [['a cuckoo', 'calls', 'calling'], ['a bird', 'repeats its two-note call', 'repeating its two-note call'], ['a forest bird', 'calls cuckoo', 'calling cuckoo']]),
  tux('duck', 'animals/birds/duck.ogg', 'bird', ['duck', 'quack'], [['a duck', 'quacks', 'quacking'], ['a duck', 'quacks loudly', 'quacking loudly'], ['a waterfowl', 'quacks noisily', 'quacking noisily']]),
  tux('drake', 'animals/birds/drake.ogg', 'bird', ['duck', 'quack'], [['a duck', 'quacks', 'quacking'], ['a male duck', 'quacks', 'quacking'], ['a drake', 'gives a raspy quack', 'giving a raspy quack']]),
  tux('gander', 'animals/birds/gander.ogg', 'bird', ['goose', 'honk'], [['a goose', 'honks', 'honking'], ['a gander', 'honks loudly', 'honking loudly'], ['a goose', 'cackles loudly', 'cackling loudly'], ['a farmyard goose', 'hisses and honks', 'hissing and honking']]),
  tux('hen', 'animals/birds/hen.ogg', 'bird', ['chicken', 'cluck'], [['a hen', 'clucks', 'clucking'], ['a chicken', 'clucks', 'clucking'], ['a farmyard hen', 'cackles', 'cackling'], ['poultry', 'cluck and chatter', 'clucking and chattering']]),
  tux('owl', 'animals/birds/owl.ogg', 'bird', ['owl', 'hoot'], [['an owl', 'hoots', 'hooting'], ['an owl', 'calls softly', 'calling softly'], ['a nocturnal bird', 'gives a low hoot', 'giving a low hoot']]),
  tux('rooster', 'animals/birds/rooster.ogg', 'bird', ['rooster', 'crow'], [['a rooster', 'crows', 'crowing'], ['a cockerel', 'crows loudly', 'crowing loudly'], ['a farmyard rooster', 'cock-a-doodle-doos', 'cock-a-doodle-dooing']]),
  tux('seagull', 'animals/birds/seagull.ogg', 'bird', ['seagull', 'bird_call'], [['a seagull', 'cries', 'crying'], ['a gull', 'squawks', 'squawking'], ['a seabird', 'screams', 'screaming'], ['a gull', 'gives a shrill cry', 'giving a shrill cry']]),
  tux('turkey', 'animals/birds/turkey.ogg', 'bird', ['turkey', 'gobble'], [['a turkey', 'gobbles', 'gobbling'], ['a turkey', 'gobbles noisily', 'gobbling noisily'], ['a farm bird', 'makes a wobbly gobble', 'making a wobbly gobble']]),
  tux('lark', 'animals/birds/lark.ogg', 'bird', ['bird', 'birdsong'], [['a lark', 'sings', 'singing'], ['a small bird', 'twitters', 'twittering'], ['a skylark', 'trills', 'trilling']]),
  tux('bee', 'animals/insects/bee.ogg', 'insect', ['bee', 'buzz'], [['a bee', 'buzzes', 'buzzing'], ['an insect', 'drones', 'droning'], ['a bee', 'buzzes around', 'buzzing around'], ['a bee', 'hums', 'humming'], ['a flying bee', 'buzzes past', 'buzzing past']], false),
  tux('grasshopper', 'animals/insects/grasshopper.ogg', 'insect', ['grasshopper', 'chirp'], [['a grasshopper', 'chirps', 'chirping'], ['an insect', 'chirps rhythmically', 'chirping rhythmically'], ['a grasshopper', 'stridulates', 'stridulating'], ['a bug', 'makes a scratchy chirp', 'making a scratchy chirp']]),
  tux('hornet', 'animals/insects/hornet.ogg', 'insect', ['hornet', 'buzz'], [['a hornet', 'buzzes', 'buzzing'], ['a flying insect', 'buzzes loudly', 'buzzing loudly'], ['a wasp', 'buzzes angrily', 'buzzing angrily']]),
  tux('mosquito', 'animals/insects/mosquito.ogg', 'insect', ['mosquito', 'buzz'], [['a mosquito', 'whines', 'whining'], ['a mosquito', 'buzzes', 'buzzing'], ['a tiny insect', 'whines in a high pitch', 'whining in a high pitch'], ['a mosquito', 'hums near the ear', 'humming near the ear']]),
  tux('chimp', 'animals/mammals/apes/chimp.ogg', 'animal', ['chimpanzee', 'screech'], [['a chimpanzee', 'screeches', 'screeching'], ['an ape', 'hoots and screams', 'hooting and screaming'], ['a chimp', 'chatters and shrieks', 'chattering and shrieking'], ['a primate', 'hollers', 'hollering']]),
  tux('dolphin', 'animals/mammals/aquatic/dolphin.ogg', 'animal', ['dolphin', 'whistle'], [['a dolphin', 'clicks and whistles', 'clicking and whistling'], ['a dolphin', 'squeaks', 'squeaking'], ['a marine mammal', 'chirps and clicks', 'chirping and clicking']]),
  tux('whale', 'animals/mammals/aquatic/whale.ogg', 'animal', ['whale', 'whale_song'], [['a whale', 'sings', 'singing'], ['a whale', 'moans', 'moaning'], ['a whale', 'calls underwater', 'calling underwater'], ['a giant sea creature', 'wails', 'wailing']], false),
  tux('sea-lion', 'animals/mammals/aquatic/sea_lion.ogg', 'animal', ['sea_lion', 'bark'], [['a sea lion', 'barks', 'barking'], ['a sea lion', 'honks', 'honking'], ['a seal', 'barks hoarsely', 'barking hoarsely']]),
  tux('bear', 'animals/mammals/bears/bear.ogg', 'animal', ['bear', 'growl'], [['a bear', 'growls', 'growling'], ['a large animal', 'growls', 'growling'], ['a bear', 'roars', 'roaring'], ['a wild bear', 'snarls', 'snarling']]),
  tux('cow', 'animals/mammals/bovines/cow.ogg', 'animal', ['cow', 'moo'], [['a cow', 'moos', 'mooing'], ['a cow', 'lows', 'lowing'], ['a bovine', 'calls', 'calling']]),
  tux('cow-white', 'animals/mammals/bovines/cow_white.ogg', 'animal', ['cow', 'moo'], [['a cow', 'moos', 'mooing'], ['cattle', 'moo', 'mooing'], ['a cow', 'moos loudly', 'mooing loudly']]),
  tux('bull', 'animals/mammals/bovines/bull.ogg', 'animal', ['bull', 'bellow'], [['a bull', 'bellows', 'bellowing'], ['a bull', 'snorts and bellows', 'snorting and bellowing'], ['a bull', 'bellows deeply', 'bellowing deeply']]),
  tux('goat', 'animals/mammals/bovines/goat.ogg', 'animal', ['goat', 'bleat'], [['a goat', 'bleats', 'bleating'], ['a goat', 'bleats loudly', 'bleating loudly'], ['a goat', 'bleats nasally', 'bleating nasally']]),
  tux('mountaingoat', 'animals/mammals/bovines/mountaingoat.ogg', 'animal', ['goat', 'bleat'], [['a goat', 'bleats', 'bleating'], ['a mountain goat', 'bleats', 'bleating'], ['a goat', 'gives a shaky bleat', 'giving a shaky bleat']]),
  tux('ram', 'animals/mammals/bovines/ram.ogg', 'animal', ['sheep', 'bleat'], [['a ram', 'bleats', 'bleating'], ['a sheep', 'bleats', 'bleating'], ['a male sheep', 'bleats gruffly', 'bleating gruffly']]),
  tux('sheep', 'animals/mammals/bovines/sheep.ogg', 'animal', ['sheep', 'bleat'], [['a sheep', 'bleats', 'bleating'], ['a sheep', 'baas', 'baaing'], ['a woolly sheep', 'bleats', 'bleating']]),
  tux('lamb', 'animals/mammals/bovines/sheep_lamb.ogg', 'animal', ['sheep', 'bleat'], [['a lamb', 'bleats', 'bleating'], ['a young sheep', 'baas', 'baaing'], ['a baby sheep', 'bleats softly', 'bleating softly']]),
  tux('camel', 'animals/mammals/camel/camel.ogg', 'animal', ['camel', 'groan'], [['a camel', 'groans', 'groaning'], ['a camel', 'grumbles and bellows', 'grumbling and bellowing'], ['a camel', 'roars and gurgles', 'roaring and gurgling']], false),
  tux('dromedary', 'animals/mammals/camel/dromedary.ogg', 'animal', ['camel', 'groan'], [['a camel', 'groans', 'groaning'], ['a dromedary', 'grumbles', 'grumbling'], ['a desert animal', 'grunts and groans', 'grunting and groaning']]),
  tux('lion', 'animals/mammals/cats/lion.ogg', 'animal', ['lion', 'roar'], [['a lion', 'roars', 'roaring'], ['a big cat', 'roars', 'roaring'], ['a male lion', 'gives a mighty roar', 'giving a mighty roar'], ['a wild predator', 'roars fiercely', 'roaring fiercely']]),
  tux('tiger', 'animals/mammals/cats/tiger.ogg', 'animal', ['tiger', 'growl'], [['a tiger', 'growls', 'growling'], ['a big cat', 'snarls and growls', 'snarling and growling'], ['a tiger', 'snarls fiercely', 'snarling fiercely']], false),
  tux('dog', 'animals/mammals/dogs/dog.ogg', 'animal', ['dog', 'bark'], [['a dog', 'barks', 'barking'], ['a dog', 'barks loudly', 'barking loudly'], ['a hound', 'woofs', 'woofing'], ['a canine', 'barks', 'barking'], ['a dog', 'barks sharply', 'barking sharply']]),
  tux('elephant', 'animals/mammals/elephant.ogg', 'animal', ['elephant', 'trumpet'], [['an elephant', 'trumpets', 'trumpeting'], ['an elephant', 'trumpets loudly', 'trumpeting loudly'], ['a large animal', 'trumpets through its trunk', 'trumpeting through its trunk']]),
  tux('donkey', 'animals/mammals/equines/donkey.ogg', 'animal', ['donkey', 'bray'], [['a donkey', 'brays', 'braying'], ['a donkey', 'hee-haws', 'hee-hawing'], ['a donkey', 'brays noisily', 'braying noisily']]),
  tux('horse', 'animals/mammals/equines/horse.ogg', 'animal', ['horse', 'neigh'], [['a horse', 'neighs', 'neighing'], ['a horse', 'whinnies', 'whinnying'], ['an equine', 'whinnies', 'whinnying'], ['a horse', 'neighs loudly', 'neighing loudly']]),
  tux('pig', 'animals/mammals/pig.ogg', 'animal', ['pig', 'oink'], [['a pig', 'oinks', 'oinking'], ['a pig', 'grunts', 'grunting'], ['a hog', 'grunts', 'grunting'], ['a swine', 'oinks', 'oinking']]),
  tux('mouse', 'animals/mammals/rodents/mouse.ogg', 'animal', ['mouse', 'squeak'], [['a mouse', 'squeaks', 'squeaking'], ['a small rodent', 'squeaks', 'squeaking'], ['a tiny mouse', 'squeaks softly', 'squeaking softly']]),
  tux('camera', 'hobbies/camera_35mm.ogg', 'household', ['camera', 'shutter', 'click'], [['a camera shutter', 'clicks', 'clicking'], ['a film camera', 'takes a picture', 'taking a picture'], ['a camera', 'snaps a photo', 'snapping a photo'], ['a mechanical shutter', 'clicks', 'clicking']]),
  tux('cymbal', 'hobbies/music/percussion/cymbal_crash.ogg', 'drums', ['cymbal', 'crash'], [['a cymbal', 'crashes', 'crashing'], ['a crash cymbal', 'is struck', 'being struck'], ['a drummer', 'hits a crash cymbal', 'hitting a crash cymbal'], ['a metal cymbal', 'shimmers', 'shimmering']]),
  tux('tomtom', 'hobbies/music/percussion/drum_tomtom_floor.ogg', 'drums', ['drum', 'tom'], [['a floor tom', 'is struck', 'being struck'], ['a deep drum', 'booms', 'booming'], ['a drummer', 'hits a tom drum', 'hitting a tom drum'], ['a low drum', 'thuds', 'thudding']]),
  tux('drumkit', 'hobbies/music/percussion/drumkit.ogg', 'drums', ['drum_kit', 'drums'], [['a drum kit', 'plays a short beat', 'playing a short beat'], ['a drummer', 'plays a short fill', 'playing a short fill'], ['drums', 'play a quick rhythm', 'playing a quick rhythm']]),
  tux('cello', 'hobbies/music/string/cello.ogg', 'music', ['cello', 'strings'], [['a cello', 'plays', 'playing'], ['a bowed cello', 'plays a few notes', 'playing a few notes'], ['a string instrument', 'plays low bowed notes', 'playing low bowed notes'], ['a cellist', 'draws a bow across the strings', 'drawing a bow across the strings']]),
  tux('violin', 'hobbies/music/string/violin.ogg', 'music', ['violin', 'strings'], [['a violin', 'plays', 'playing'], ['a bowed violin', 'plays a few notes', 'playing a few notes'], ['a violinist', 'plays a short melody', 'playing a short melody'], ['a fiddle', 'plays', 'playing']]),
  tux('bassoon', 'hobbies/music/wind/bassoon.ogg', 'music', ['bassoon', 'woodwind'], [['a bassoon', 'plays', 'playing'], ['a woodwind instrument', 'plays low notes', 'playing low notes'], ['a double reed instrument', 'plays deep notes', 'playing deep notes']], false),
  tux('toilet', 'household/toilet.ogg', 'household', ['toilet', 'flush', 'water'], [['a toilet', 'flushes', 'flushing'], ['water', 'rushes through a flushing toilet', 'rushing through a flushing toilet'], ['a toilet cistern', 'gurgles', 'gurgling'], ['someone', 'flushes a toilet', 'flushing a toilet']]),
  tux('hammer', 'household/tools/hammer.ogg', 'tool', ['hammer', 'hit'], [['a hammer', 'strikes', 'striking'], ['someone', 'hammers', 'hammering'], ['a carpenter', 'hammers away', 'hammering away'], ['a hammer', 'knocks on wood', 'knocking on wood']]),
  tux('mallet', 'household/tools/mallet_metal.ogg', 'tool', ['hammer', 'metal', 'hit'], [['a metal mallet', 'strikes', 'striking'], ['metal', 'clanks', 'clanking'], ['a mallet', 'bangs on metal', 'banging on metal']]),
  tux('saw', 'household/tools/saw.ogg', 'tool', ['saw', 'wood'], [['a hand saw', 'cuts wood', 'cutting wood'], ['someone', 'saws wood', 'sawing wood'], ['a carpenter', 'saws a plank', 'sawing a plank'], ['a saw blade', 'rasps through timber', 'rasping through timber']]),
  tux('scissors', 'household/arttools/scissors_small_closed.ogg', 'tool', ['scissors', 'snip'], [['scissors', 'snip', 'snipping'], ['a pair of scissors', 'cuts', 'cutting'], ['shears', 'snip and close', 'snipping and closing']]),
  tux('rubberduck', 'household/rubberduck.ogg', 'household', ['toy', 'squeak'], [['a rubber duck', 'squeaks', 'squeaking'], ['a squeaky toy', 'squeaks', 'squeaking'], ['a bath toy', 'is squeezed', 'being squeezed'], ['a rubber toy', 'honks', 'honking']]),
  tux('thunder', 'naturalforces/lightningbolt.ogg', 'weather', ['thunder', 'storm'], [['thunder', 'rumbles', 'rumbling'], ['a thunderclap', 'crashes', 'crashing'], ['a storm', 'thunders', 'thundering'], ['a thunderstorm', 'rolls overhead', 'rolling overhead']], false),
  tux('fireworks', 'seasonal/newyears/fireworks.ogg', 'impact', ['fireworks', 'explosion'], [['fireworks', 'explode', 'exploding'], ['fireworks', 'pop and crackle', 'popping and crackling'], ['firecrackers', 'bang and crackle', 'banging and crackling'], ['rockets', 'burst in the sky', 'bursting in the sky']]),
  tux('firetruck', 'vehicles/emergency/firetruck.ogg', 'vehicle', ['siren', 'fire_truck'], [['a fire truck siren', 'wails', 'wailing'], ['a siren', 'sounds', 'sounding'], ['an emergency vehicle', 'passes with its siren on', 'passing with its siren on'], ['a fire engine', 'races by with its siren on', 'racing by with its siren on']], false),

  wes('birds1', 'ambient/birds1.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['several birds', 'sing', 'singing'], ['a flock of birds', 'chatters', 'chattering'], ['songbirds', 'warble', 'warbling']], false),
  wes('birds2', 'ambient/birds2.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['birds', 'sing and call', 'singing and calling'], ['wild birds', 'tweet and whistle', 'tweeting and whistling']], false),
  wes('birds3', 'ambient/birds3.ogg', 'bird', ['birds', 'birdsong'], [['birds', 'chirp', 'chirping'], ['small birds', 'twitter', 'twittering'], ['little birds', 'cheep', 'cheeping']], false),
  wes('campfire', 'ambient/campfire.ogg', 'fire', ['fire', 'crackle'], [['a campfire', 'crackles', 'crackling'], ['a fire', 'burns and pops', 'burning and popping'], ['burning wood', 'crackles', 'crackling'], ['logs', 'crackle in a fire', 'crackling in a fire'], ['a bonfire', 'hisses and snaps', 'hissing and snapping']], false),
  wes('wardrums', 'ambient/wardrums.ogg', 'drums', ['drums', 'drumbeat'], [['drums', 'beat steadily', 'beating steadily'], ['large drums', 'pound', 'pounding'], ['war drums', 'thump rhythmically', 'thumping rhythmically'], ['heavy drums', 'rumble', 'rumbling']], false),
  wes('flame', 'fire.wav', 'fire', ['fire', 'whoosh'], [['flames', 'whoosh', 'whooshing'], ['a burst of fire', 'roars', 'roaring'], ['a gust of flame', 'blasts', 'blasting'], ['fire', 'flares up', 'flaring up']]),
  wes('lightning', 'lightning.ogg', 'weather', ['thunder', 'lightning'], [['thunder', 'cracks', 'cracking'], ['a lightning strike', 'crackles and booms', 'crackling and booming'], ['a bolt of lightning', 'strikes', 'striking']]),
  wes('explosion', 'explosion.ogg', 'impact', ['explosion', 'boom'], [['an explosion', 'booms', 'booming'], ['something', 'explodes', 'exploding'], ['something', 'blows up', 'blowing up'], ['a blast', 'thunders', 'thundering']]),
  wes('gunshot', 'gunshot.wav', 'weapon', ['gunshot', 'gun'], [['a gun', 'fires', 'firing'], ['a gunshot', 'rings out', 'ringing out'], ['a firearm', 'is fired', 'being fired'], ['a shot', 'goes off', 'going off']]),
  wes('rumble', 'rumble.ogg', 'impact', ['rumble', 'earthquake'], [['the ground', 'rumbles', 'rumbling'], ['a deep rumble', 'builds up', 'building up'], ['an earthquake', 'shakes the ground', 'shaking the ground']], false),
  wes('cave-in', 'cave-in.ogg', 'impact', ['rocks', 'collapse'], [['rocks', 'tumble down', 'tumbling down'], ['rubble', 'collapses', 'collapsing'], ['stones', 'crash and slide', 'crashing and sliding'], ['a rockslide', 'thunders down', 'thundering down']]),
  wes('horse-canter', 'horse-canter.wav', 'animal', ['horse', 'hooves'], [['a horse', 'canters', 'cantering'], ['hooves', 'clop', 'clopping'], ['hoofbeats', 'drum on the ground', 'drumming on the ground'], ['a horse', 'runs', 'running']]),
  wes('horse-elf-canter', 'horse-elf-canter.wav', 'animal', ['horse', 'hooves'], [['a horse', 'canters', 'cantering'], ['hooves', 'beat on the ground', 'beating on the ground'], ['horseshoes', 'clatter', 'clattering']]),
  wes('bat-wings', 'bat-flapping.wav', 'animal', ['wings', 'flap'], [['wings', 'flap', 'flapping'], ['a bat', 'flaps its wings', 'flapping its wings'], ['a flying creature', 'beats its wings', 'beating its wings']]),
  ...[1, 2, 3, 4].map((i) => wes(`wolf-growl-${i}`, `wolf-growl-${i}.ogg`, 'animal', ['wolf', 'growl'], [['a wolf', 'growls', 'growling'], ['an animal', 'snarls', 'snarling'], ['a wolf', 'growls menacingly', 'growling menacingly']])),
  ...[1, 2, 3].map((i) => wes(`human-die-${i}`, `human-die-${i}.ogg`, 'human', ['man', 'scream'], [['a man', 'cries out in pain', 'crying out in pain'], ['a man', 'groans', 'groaning'], ['a wounded man', 'yells', 'yelling']])),
  ...[1, 2, 3, 4, 5].map((i) => wes(`human-hit-${i}`, `human-hit-${i}.ogg`, 'human', ['man', 'grunt'], [['a man', 'grunts', 'grunting'], ['a man', 'grunts in pain', 'grunting in pain'], ['a man', 'groans from a blow', 'groaning from a blow']])),
  ...[1, 2, 3].map((i) => wes(`human-female-hit-${i}`, `human-female-hit-${i}.ogg`, 'human', ['woman', 'grunt'], [['a woman', 'gasps', 'gasping'], ['a woman', 'grunts in pain', 'grunting in pain'], ['a woman', 'yelps', 'yelping']])),
  ...[1, 2, 3].map((i) => wes(`human-female-die-${i}`, `human-female-die-${i}.ogg`, 'human', ['woman', 'scream'], [['a woman', 'cries out', 'crying out'], ['a woman', 'screams in pain', 'screaming in pain'], ['a woman', 'shrieks', 'shrieking']])),
  wes('laugh', 'dwarf-laugh.wav', 'human', ['man', 'laughter'], [['a man', 'laughs', 'laughing'], ['a man', 'laughs heartily', 'laughing heartily'], ['a man', 'chuckles loudly', 'chuckling loudly'], ['a jolly voice', 'guffaws', 'guffawing']]),
  wes('groan', 'groan.wav', 'human', ['man', 'groan'], [['a man', 'groans', 'groaning'], ['a person', 'moans', 'moaning'], ['a male voice', 'groans', 'groaning']]),
  wes('bow', 'bow.ogg', 'weapon', ['bow', 'arrow'], [['an arrow', 'is shot from a bow', 'being shot from a bow'], ['a bowstring', 'twangs', 'twanging'], ['an archer', 'releases an arrow', 'releasing an arrow']]),
  wes('sword', 'sword-1.ogg', 'weapon', ['sword', 'metal'], [['a sword', 'clangs', 'clanging'], ['metal blades', 'clash', 'clashing'], ['steel', 'rings', 'ringing'], ['two swords', 'collide', 'colliding']]),
  wes('axe', 'axe.ogg', 'weapon', ['axe', 'chop'], [['an axe', 'chops', 'chopping'], ['an axe', 'swings and strikes', 'swinging and striking'], ['an axe blade', 'thunks into wood', 'thunking into wood']]),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => wes(`horn-${i}`, `horn-signals/horn-${i}.ogg`, 'music', ['horn', 'brass'], [['a horn', 'sounds', 'sounding'], ['a brass horn', 'blows a signal', 'blowing a signal'], ['a signal horn', 'calls', 'calling']], false)),
  wes('fanfare', 'fanfare-short.wav', 'music', ['trumpet', 'fanfare'], [['trumpets', 'play a short fanfare', 'playing a short fanfare'], ['brass instruments', 'play a fanfare', 'playing a fanfare'], ['a trumpet ensemble', 'plays a flourish', 'playing a flourish']]),
  wes('splash', 'water-blast.wav', 'nature', ['water', 'splash'], [['water', 'splashes', 'splashing'], ['a wave of water', 'crashes', 'crashing'], ['water', 'sloshes', 'sloshing'], ['a splash of water', 'erupts', 'erupting']]),
  wes('chest', 'open-chest.wav', 'household', ['creak', 'wood'], [['a wooden chest', 'creaks open', 'creaking open'], ['a wooden lid', 'creaks', 'creaking'], ['old hinges', 'squeak', 'squeaking'], ['a trunk', 'opens', 'opening']]),
  wes('coins', 'gold.ogg', 'household', ['coins', 'jingle'], [['coins', 'jingle', 'jingling'], ['metal coins', 'clink together', 'clinking together'], ['money', 'jingles', 'jingling'], ['loose change', 'rattles', 'rattling']]),
];

// General MIDI instruments rendered by fluidsynth (0-based program numbers).
export interface Instrument { program: number; id: string; category: Category; tags: string[]; subjects: string[] }
export const INSTRUMENTS: Instrument[] = [
  { program: 0, id: 'piano', category: 'music', tags: ['piano'], subjects: ['a piano', 'a grand piano', 'a keyboard instrument'] },
  { program: 6, id: 'harpsichord', category: 'music', tags: ['harpsichord'], subjects: ['a harpsichord', 'a plucked keyboard', 'a baroque keyboard'] },
  { program: 11, id: 'vibraphone', category: 'music', tags: ['vibraphone'], subjects: ['a vibraphone', 'a mallet instrument'] },
  { program: 12, id: 'marimba', category: 'music', tags: ['marimba'], subjects: ['a marimba', 'a wooden mallet instrument'] },
  { program: 14, id: 'tubular-bells', category: 'music', tags: ['bells'], subjects: ['tubular bells', 'chiming bells'] },
  { program: 19, id: 'church-organ', category: 'music', tags: ['organ'], subjects: ['a church organ', 'a pipe organ'] },
  { program: 21, id: 'accordion', category: 'music', tags: ['accordion'], subjects: ['an accordion', 'a squeezebox'] },
  { program: 22, id: 'harmonica', category: 'music', tags: ['harmonica'], subjects: ['a harmonica', 'a mouth organ'] },
  { program: 24, id: 'nylon-guitar', category: 'music', tags: ['guitar'], subjects: ['an acoustic guitar', 'a classical guitar', 'a nylon-string guitar'] },
  { program: 25, id: 'steel-guitar', category: 'music', tags: ['guitar'], subjects: ['an acoustic guitar', 'a steel-string guitar'] },
  { program: 32, id: 'acoustic-bass', category: 'music', tags: ['bass'], subjects: ['a double bass', 'an acoustic bass', 'an upright bass'] },
  { program: 40, id: 'violin', category: 'music', tags: ['violin', 'strings'], subjects: ['a violin', 'a fiddle'] },
  { program: 42, id: 'cello', category: 'music', tags: ['cello', 'strings'], subjects: ['a cello', 'a violoncello'] },
  { program: 46, id: 'harp', category: 'music', tags: ['harp'], subjects: ['a harp', 'a concert harp'] },
  { program: 48, id: 'strings', category: 'music', tags: ['strings', 'orchestra'], subjects: ['a string section', 'an ensemble of strings'] },
  { program: 56, id: 'trumpet', category: 'music', tags: ['trumpet', 'brass'], subjects: ['a trumpet', 'a brass trumpet'] },
  { program: 57, id: 'trombone', category: 'music', tags: ['trombone', 'brass'], subjects: ['a trombone', 'a slide trombone'] },
  { program: 60, id: 'french-horn', category: 'music', tags: ['horn', 'brass'], subjects: ['a french horn'] },
  { program: 65, id: 'alto-sax', category: 'music', tags: ['saxophone'], subjects: ['a saxophone', 'an alto saxophone', 'a sax'] },
  { program: 68, id: 'oboe', category: 'music', tags: ['oboe', 'woodwind'], subjects: ['an oboe', 'a double-reed woodwind'] },
  { program: 71, id: 'clarinet', category: 'music', tags: ['clarinet', 'woodwind'], subjects: ['a clarinet', 'a reed woodwind'] },
  { program: 73, id: 'flute', category: 'music', tags: ['flute', 'woodwind'], subjects: ['a flute', 'a concert flute'] },
  { program: 75, id: 'pan-flute', category: 'music', tags: ['pan_flute', 'woodwind'], subjects: ['a pan flute', 'pan pipes'] },
  { program: 80, id: 'square-lead', category: 'electronic', tags: ['synthesizer'], subjects: ['a synthesizer', 'an electronic keyboard', 'a synth lead'] },
  { program: 105, id: 'banjo', category: 'music', tags: ['banjo'], subjects: ['a banjo', 'a twangy banjo'] },
  { program: 114, id: 'steel-drums', category: 'music', tags: ['steel_drum'], subjects: ['steel drums', 'a steel pan', 'a Caribbean steel drum'] },
];

/** GM sound-effect programs: sampled imitations, described as what they imitate. */
export interface Effect { program: number; id: string; note: number; category: Category; tags: string[]; say: Say[] }
export const GM_EFFECTS: Effect[] = [
  { program: 122, id: 'seashore', note: 60, category: 'nature', tags: ['waves', 'sea'], say: [['waves', 'wash onto a shore', 'washing onto a shore'], ['the sea', 'surges and recedes', 'surging and receding'], ['surf', 'breaks on a beach', 'breaking on a beach']] },
  { program: 123, id: 'bird-tweet', note: 72, category: 'bird', tags: ['bird', 'tweet'], say: [['a bird', 'tweets', 'tweeting'], ['a small bird', 'chirps', 'chirping'], ['a songbird', 'peeps', 'peeping']] },
  { program: 124, id: 'telephone', note: 60, category: 'alarm', tags: ['telephone', 'ring'], say: [['a telephone', 'rings', 'ringing'], ['a phone', 'rings repeatedly', 'ringing repeatedly'], ['a telephone', 'rings insistently', 'ringing insistently']] },
  { program: 125, id: 'helicopter', note: 60, category: 'vehicle', tags: ['helicopter'], say: [['a helicopter', 'whirs', 'whirring'], ['helicopter blades', 'chop through the air', 'chopping through the air'], ['a chopper', 'thrums', 'thrumming']] },
  { program: 126, id: 'applause', note: 60, category: 'human', tags: ['applause', 'crowd'], say: [['a crowd', 'applauds', 'applauding'], ['people', 'clap their hands', 'clapping their hands'], ['an audience', 'gives a round of applause', 'giving a round of applause']] },
  { program: 127, id: 'gunshot', note: 60, category: 'weapon', tags: ['gunshot', 'gun'], say: [['a gun', 'fires', 'firing'], ['gunshots', 'ring out', 'ringing out'], ['a firearm', 'is discharged', 'being discharged']] },
];

/** espeak-ng voices: [voice, language name (undefined = English), gender]. */
export const VOICES: [string, string | undefined, 'male' | 'female'][] = [
  ['en', undefined, 'male'], ['en+f3', undefined, 'female'], ['en-us', undefined, 'male'], ['en-us+f2', undefined, 'female'],
  ['en-gb-scotland', undefined, 'male'], ['en+m3', undefined, 'male'], ['en+f4', undefined, 'female'], ['en-029', undefined, 'male'],
  ['de', 'German', 'male'], ['de+f3', 'German', 'female'], ['fr', 'French', 'male'], ['fr+f2', 'French', 'female'],
  ['es', 'Spanish', 'male'], ['es+f3', 'Spanish', 'female'], ['it', 'Italian', 'male'],
];
/** What each English sentence is about, as [verb phrase, gerund]: a caption may say it, the words are audible. */
export const SENTENCE_TOPICS: Record<string, [string, string]> = {
  'The train to the city leaves in ten minutes from platform four.': ['announces a train departure', 'announcing a train departure'],
  'Please remember to close the window before you go to sleep.': ['reminds someone to shut the window', 'reminding someone to shut the window'],
  'We walked along the river until the sun went down.': ['describes a walk by a river at sunset', 'describing a walk by a river at sunset'],
  'Could you pass me the salt and the pepper, please?': ['asks for the salt and pepper', 'asking for the salt and pepper'],
  'The weather tomorrow will be cold and windy with some rain.': ['reads a weather forecast', 'reading a weather forecast'],
  'My brother bought a new bicycle last weekend.': ['mentions a brother and a new bicycle', 'mentioning a brother and a new bicycle'],
  'Turn left at the next corner and the library is on your right.': ['gives directions to a library', 'giving directions to a library'],
  'The meeting has been moved to Thursday afternoon.': ['says a meeting was rescheduled', 'saying a meeting was rescheduled'],
  'She plays the piano every evening after dinner.': ['talks about someone who practises every evening', 'talking about someone who practises every evening'],
  'Keep your hands and arms inside the vehicle at all times.': ['gives a safety instruction for passengers', 'giving a safety instruction for passengers'],
  'There are seven apples and three oranges in the basket.': ['counts fruit in a basket', 'counting fruit in a basket'],
  'The museum opens at nine and closes at five.': ['states the opening hours of a museum', 'stating the opening hours of a museum'],
};
export const SENTENCES: Record<string, string[]> = {
  English: [
    'The train to the city leaves in ten minutes from platform four.', 'Please remember to close the window before you go to sleep.',
    'We walked along the river until the sun went down.', 'Could you pass me the salt and the pepper, please?',
    'The weather tomorrow will be cold and windy with some rain.', 'My brother bought a new bicycle last weekend.',
    'Turn left at the next corner and the library is on your right.', 'The meeting has been moved to Thursday afternoon.',
    'She plays the piano every evening after dinner.', 'Keep your hands and arms inside the vehicle at all times.',
    'There are seven apples and three oranges in the basket.', 'The museum opens at nine and closes at five.',
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
    say: [['static', 'hisses', 'hissing'], ['white noise', 'hisses steadily', 'hissing steadily'], ['a hiss like radio static', 'continues', 'continuing']] },
  { id: 'pink-noise', category: 'noise', tags: ['noise', 'rushing'], variants: [cont('synth', 'pinknoise', 'lowpass', '2000'), cont('synth', 'pinknoise', 'lowpass', '1200')],
    say: [['a soft rushing noise', 'continues', 'continuing'], ['a steady rushing sound', 'fills the air', 'filling the air'], ['a soft whooshing sound', 'goes on', 'going on']] },
  { id: 'brown-noise', category: 'noise', tags: ['noise', 'rumble'], variants: [cont('synth', 'brownnoise', 'lowpass', '400'), cont('synth', 'brownnoise', 'lowpass', '250')],
    say: [['a low rumbling noise', 'drones on', 'droning on'], ['a deep steady rumble', 'continues', 'continuing'], ['a muffled roar', 'persists', 'persisting']] },
  { id: 'mains-hum', category: 'electronic', tags: ['hum', 'electrical'], variants: [cont('synth', 'sine', '50', 'sine', '100', 'sine', '150', 'remix', '-'), cont('synth', 'sine', '60', 'sine', '120', 'sine', '180', 'remix', '-')],
    say: [['an electrical hum', 'drones', 'droning'], ['a low mains hum', 'buzzes steadily', 'buzzing steadily'], ['electrical equipment', 'hums', 'humming']] },
  { id: 'beeps', category: 'electronic', tags: ['beep'], variants: [loop(['synth', '0.15', 'sine', '1000', 'pad', '0', '0.35']), loop(['synth', '0.1', 'sine', '1800', 'pad', '0', '0.2']), loop(['synth', '0.3', 'square', '800', 'vol', '0.3', 'pad', '0', '0.5'])],
    say: [['an electronic device', 'beeps repeatedly', 'beeping repeatedly'], ['a series of beeps', 'sounds', 'sounding'], ['a machine', 'beeps at a steady rate', 'beeping at a steady rate'], ['an electronic beeper', 'bleeps', 'bleeping']] },
  { id: 'two-tone-alarm', category: 'alarm', tags: ['alarm', 'siren'], variants: [loop(['synth', '0.4', 'square', '700', 'vol', '0.3'], ['synth', '0.4', 'square', '950', 'vol', '0.3']), loop(['synth', '0.25', 'sine', '900'], ['synth', '0.25', 'sine', '1300'])],
    say: [['an alarm', 'sounds', 'sounding'], ['a two-tone alarm', 'blares', 'blaring'], ['an alarm', 'alternates between two tones', 'alternating between two tones'], ['a warning siren', 'wails', 'wailing']] },
  { id: 'sweep-up', category: 'electronic', tags: ['tone', 'sweep'], variants: [cont('synth', 'sine', '200-2000'), cont('synth', 'sine', '300-3000')],
    say: [['an electronic tone', 'rises in pitch', 'rising in pitch'], ['a whistling tone', 'slides upward', 'sliding upward'], ['a synthetic tone', 'climbs', 'climbing']] },
  { id: 'sweep-down', category: 'electronic', tags: ['tone', 'sweep'], variants: [cont('synth', 'sine', '2000-200'), cont('synth', 'sine', '2500-300')],
    say: [['an electronic tone', 'falls in pitch', 'falling in pitch'], ['a whistling tone', 'slides downward', 'sliding downward'], ['a synthetic tone', 'drops', 'dropping']] },
  { id: 'dial-tone', category: 'electronic', tags: ['telephone', 'tone'], variants: [cont('synth', 'sine', '350', 'sine', '440', 'remix', '-')],
    say: [['a telephone dial tone', 'hums', 'humming'], ['a steady telephone tone', 'sounds', 'sounding'], ['a landline', 'gives a dial tone', 'giving a dial tone']] },
  { id: 'pure-tone', category: 'electronic', tags: ['tone'], variants: [cont('synth', 'sine', '440'), cont('synth', 'sine', '1000'), cont('synth', 'sine', '3000', 'vol', '0.5')],
    say: [['a pure tone', 'sounds steadily', 'sounding steadily'], ['a single steady tone', 'rings', 'ringing'], ['a test tone', 'sounds continuously', 'sounding continuously']] },
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
