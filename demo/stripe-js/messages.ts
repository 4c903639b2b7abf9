/**
 * The stand-in Payment Element speaks the language given as `elements({locale})`, like
 * Stripe's, in the locales Stripe supports that the portal uses (Stripe has no Ukrainian: the
 * portal passes `auto` there, and `auto` follows the browser, falling back to English).
 */
export type StandInLocale = keyof typeof messages;
export type StandInMessages = (typeof messages)['de'];

const messages = {
  de: {
    demoLabel: 'Demo-Zahlungsformular – es wird kein echtes Geld bewegt',
    methodType: 'Art der Zahlungsmethode',
    card: 'Karte',
    numberMissing: 'Bitte geben Sie die Kartennummer ein.',
    expiryMissing: 'Bitte geben Sie das Ablaufdatum als MM/JJ ein.',
    cvcMissing: 'Bitte geben Sie die Prüfnummer (3 oder 4 Ziffern) ein.',
    number: 'Kartennummer',
    expiry: 'Ablaufdatum (MM/JJ)',
    expiryPlaceholder: 'MM/JJ',
    cvc: 'Prüfnummer (CVC)',
    testCards: 'Testkarten für die Demo (Ablaufdatum in der Zukunft, beliebige Prüfnummer):',
    saves: 'wird gespeichert',
    declines: 'wird abgelehnt',
    asks3ds: 'fragt nach 3-D Secure',
    paypalNote:
      'Sie werden zu PayPal weitergeleitet, um die Zahlungsmethode freizugeben, und kommen danach hierher zurück.',
    challengeTitle: '3-D Secure-Bestätigung (Demo)',
    challengeText:
      'Ihre Bank bittet Sie, diese Karte zu bestätigen. Dies ist eine simulierte Seite – es wird kein echtes Geld bewegt.',
    challengeComplete: 'Authentifizierung abschließen',
    challengeFail: 'Authentifizierung fehlschlagen lassen',
  },
  en: {
    demoLabel: 'Demo payment form – no real money moves',
    methodType: 'Type of payment method',
    card: 'Card',
    numberMissing: 'Please enter the card number.',
    expiryMissing: 'Please enter the expiry date as MM/YY.',
    cvcMissing: 'Please enter the security code (3 or 4 digits).',
    number: 'Card number',
    expiry: 'Expiry date (MM/YY)',
    expiryPlaceholder: 'MM/YY',
    cvc: 'Security code (CVC)',
    testCards: 'Test cards for the demo (any future expiry date, any security code):',
    saves: 'is saved',
    declines: 'is declined',
    asks3ds: 'asks for 3-D Secure',
    paypalNote:
      'You will be taken to PayPal to approve the payment method, and then come back here.',
    challengeTitle: '3-D Secure check (demo)',
    challengeText:
      'Your bank asks you to confirm this card. This is a simulated page – no real money moves.',
    challengeComplete: 'Complete authentication',
    challengeFail: 'Fail authentication',
  },
  pl: {
    demoLabel: 'Demonstracyjny formularz płatności – żadne prawdziwe pieniądze nie są pobierane',
    methodType: 'Rodzaj metody płatności',
    card: 'Karta',
    numberMissing: 'Proszę podać numer karty.',
    expiryMissing: 'Proszę podać datę ważności w formacie MM/RR.',
    cvcMissing: 'Proszę podać kod zabezpieczający (3 lub 4 cyfry).',
    number: 'Numer karty',
    expiry: 'Data ważności (MM/RR)',
    expiryPlaceholder: 'MM/RR',
    cvc: 'Kod zabezpieczający (CVC)',
    testCards:
      'Karty testowe do wersji demonstracyjnej (dowolna przyszła data ważności, dowolny kod zabezpieczający):',
    saves: 'zostanie zapisana',
    declines: 'zostanie odrzucona',
    asks3ds: 'wymaga 3-D Secure',
    paypalNote:
      'Nastąpi przekierowanie do PayPal w celu zatwierdzenia metody płatności, a potem powrót tutaj.',
    challengeTitle: 'Weryfikacja 3-D Secure (demo)',
    challengeText:
      'Twój bank prosi o potwierdzenie tej karty. To jest strona symulowana – żadne prawdziwe pieniądze nie są pobierane.',
    challengeComplete: 'Zakończ uwierzytelnianie',
    challengeFail: 'Odrzuć uwierzytelnianie',
  },
  ro: {
    demoLabel: 'Formular de plată demonstrativ – nu se transferă bani reali',
    methodType: 'Tipul metodei de plată',
    card: 'Card',
    numberMissing: 'Vă rugăm să introduceți numărul cardului.',
    expiryMissing: 'Vă rugăm să introduceți data expirării în formatul LL/AA.',
    cvcMissing: 'Vă rugăm să introduceți codul de securitate (3 sau 4 cifre).',
    number: 'Numărul cardului',
    expiry: 'Data expirării (LL/AA)',
    expiryPlaceholder: 'LL/AA',
    cvc: 'Cod de securitate (CVC)',
    testCards:
      'Carduri de test pentru demo (orice dată de expirare din viitor, orice cod de securitate):',
    saves: 'este salvat',
    declines: 'este refuzat',
    asks3ds: 'solicită 3-D Secure',
    paypalNote:
      'Vă vom redirecționa către PayPal pentru a aproba metoda de plată, după care veți reveni aici.',
    challengeTitle: 'Verificare 3-D Secure (demo)',
    challengeText:
      'Banca dumneavoastră vă cere să confirmați acest card. Aceasta este o pagină simulată – nu se transferă bani reali.',
    challengeComplete: 'Finalizați autentificarea',
    challengeFail: 'Simulați o autentificare eșuată',
  },
  cs: {
    demoLabel: 'Ukázkový platební formulář – nepřevádějí se žádné skutečné peníze',
    methodType: 'Typ platební metody',
    card: 'Karta',
    numberMissing: 'Zadejte prosím číslo karty.',
    expiryMissing: 'Zadejte prosím datum platnosti ve tvaru MM/RR.',
    cvcMissing: 'Zadejte prosím bezpečnostní kód (3 nebo 4 číslice).',
    number: 'Číslo karty',
    expiry: 'Platnost do (MM/RR)',
    expiryPlaceholder: 'MM/RR',
    cvc: 'Bezpečnostní kód (CVC)',
    testCards:
      'Testovací karty pro ukázku (libovolné budoucí datum platnosti, libovolný bezpečnostní kód):',
    saves: 'se uloží',
    declines: 'bude zamítnuta',
    asks3ds: 'vyžádá si 3-D Secure',
    paypalNote:
      'Budete přesměrováni na PayPal, kde platební metodu schválíte, a poté se vrátíte sem.',
    challengeTitle: 'Ověření 3-D Secure (demo)',
    challengeText:
      'Vaše banka vás žádá o potvrzení této karty. Jde o simulovanou stránku – nepohybují se žádné skutečné peníze.',
    challengeComplete: 'Dokončit ověření',
    challengeFail: 'Nechat ověření selhat',
  },
  bg: {
    demoLabel: 'Демо формуляр за плащане – не се превеждат реални пари',
    methodType: 'Вид на метода на плащане',
    card: 'Карта',
    numberMissing: 'Моля, въведете номера на картата.',
    expiryMissing: 'Моля, въведете срока на валидност във формат ММ/ГГ.',
    cvcMissing: 'Моля, въведете кода за сигурност (3 или 4 цифри).',
    number: 'Номер на картата',
    expiry: 'Валидност (ММ/ГГ)',
    expiryPlaceholder: 'ММ/ГГ',
    cvc: 'Код за сигурност (CVC)',
    testCards:
      'Тестови карти за демото (произволна бъдеща дата на валидност, произволен код за сигурност):',
    saves: 'запазва се',
    declines: 'отхвърля се',
    asks3ds: 'изисква 3-D Secure',
    paypalNote:
      'Ще бъдете пренасочени към PayPal, за да одобрите метода на плащане, след което ще се върнете тук.',
    challengeTitle: 'Проверка 3-D Secure (демо)',
    challengeText:
      'Вашата банка ви моли да потвърдите тази карта. Това е симулирана страница – не се движат истински пари.',
    challengeComplete: 'Завършване на удостоверяването',
    challengeFail: 'Симулиране на неуспешно удостоверяване',
  },
  lt: {
    demoLabel: 'Demonstracinė mokėjimo forma – tikri pinigai nenuskaičiuojami',
    methodType: 'Mokėjimo būdo tipas',
    card: 'Kortelė',
    numberMissing: 'Įveskite kortelės numerį.',
    expiryMissing: 'Įveskite galiojimo datą formatu MM/MM (mėnuo/metai).',
    cvcMissing: 'Įveskite saugos kodą (3 arba 4 skaitmenis).',
    number: 'Kortelės numeris',
    expiry: 'Galiojimo data (MM/MM)',
    expiryPlaceholder: 'MM/MM',
    cvc: 'Saugos kodas (CVC)',
    testCards:
      'Bandomosios kortelės demonstracijai (bet kokia būsima galiojimo data, bet koks saugos kodas):',
    saves: 'bus išsaugota',
    declines: 'bus atmesta',
    asks3ds: 'paprašys 3-D Secure',
    paypalNote: 'Būsite nukreipti į PayPal, kad patvirtintumėte mokėjimo būdą, o tada grįšite čia.',
    challengeTitle: '3-D Secure patikra (demonstracinė)',
    challengeText:
      'Jūsų bankas prašo patvirtinti šią kortelę. Tai imituotas puslapis – tikri pinigai nejuda.',
    challengeComplete: 'Užbaigti autentifikavimą',
    challengeFail: 'Imituoti nesėkmingą autentifikavimą',
  },
  hu: {
    demoLabel: 'Bemutató fizetési űrlap – valódi pénzmozgás nem történik',
    methodType: 'Fizetési mód típusa',
    card: 'Kártya',
    numberMissing: 'Kérjük, adja meg a kártyaszámot.',
    expiryMissing: 'Kérjük, a lejárati dátumot HH/ÉÉ formátumban adja meg.',
    cvcMissing: 'Kérjük, adja meg a biztonsági kódot (3 vagy 4 számjegy).',
    number: 'Kártyaszám',
    expiry: 'Lejárati dátum (HH/ÉÉ)',
    expiryPlaceholder: 'HH/ÉÉ',
    cvc: 'Biztonsági kód (CVC)',
    testCards:
      'Tesztkártyák a bemutatóhoz (bármely jövőbeli lejárati dátum, bármely biztonsági kód):',
    saves: 'mentésre kerül',
    declines: 'elutasításra kerül',
    asks3ds: '3-D Secure hitelesítést kér',
    paypalNote:
      'Átirányítjuk a PayPal oldalára a fizetési mód jóváhagyásához, utána visszakerül ide.',
    challengeTitle: '3-D Secure ellenőrzés (demó)',
    challengeText:
      'Bankja kéri, hogy erősítse meg ezt a kártyát. Ez egy szimulált oldal – valódi pénz nem mozog.',
    challengeComplete: 'Hitelesítés befejezése',
    challengeFail: 'Sikertelen hitelesítés szimulálása',
  },
  tr: {
    demoLabel: 'Demo ödeme formu – gerçek para aktarılmaz',
    methodType: 'Ödeme yöntemi türü',
    card: 'Kart',
    numberMissing: 'Lütfen kart numarasını girin.',
    expiryMissing: 'Lütfen son kullanma tarihini AA/YY biçiminde girin.',
    cvcMissing: 'Lütfen güvenlik kodunu (3 veya 4 hane) girin.',
    number: 'Kart numarası',
    expiry: 'Son kullanma tarihi (AA/YY)',
    expiryPlaceholder: 'AA/YY',
    cvc: 'Güvenlik kodu (CVC)',
    testCards:
      'Demo için test kartları (gelecekteki herhangi bir son kullanma tarihi, herhangi bir güvenlik kodu):',
    saves: 'kaydedilir',
    declines: 'reddedilir',
    asks3ds: '3-D Secure doğrulaması ister',
    paypalNote:
      "Ödeme yöntemini onaylamak için PayPal'a yönlendirileceksiniz, ardından buraya geri döneceksiniz.",
    challengeTitle: '3-D Secure doğrulaması (demo)',
    challengeText:
      'Bankanız bu kartı onaylamanızı istiyor. Bu simüle edilmiş bir sayfadır – gerçek para hareket etmez.',
    challengeComplete: 'Kimlik doğrulamayı tamamla',
    challengeFail: 'Başarısız kimlik doğrulamayı simüle et',
  },
  ru: {
    demoLabel: 'Демо-форма оплаты — реальные деньги не списываются',
    methodType: 'Тип способа оплаты',
    card: 'Карта',
    numberMissing: 'Введите номер карты.',
    expiryMissing: 'Введите срок действия в формате ММ/ГГ.',
    cvcMissing: 'Введите код безопасности (3 или 4 цифры).',
    number: 'Номер карты',
    expiry: 'Срок действия (ММ/ГГ)',
    expiryPlaceholder: 'ММ/ГГ',
    cvc: 'Код безопасности (CVC)',
    testCards: 'Тестовые карты для демо (любой срок действия в будущем, любой код безопасности):',
    saves: 'сохраняется',
    declines: 'отклоняется',
    asks3ds: 'запрашивает 3-D Secure',
    paypalNote:
      'Вы перейдёте на сайт PayPal, чтобы подтвердить способ оплаты, а затем вернётесь сюда.',
    challengeTitle: 'Проверка 3-D Secure (демо)',
    challengeText:
      'Ваш банк просит подтвердить эту карту. Это имитация – реальные деньги не списываются.',
    challengeComplete: 'Завершить проверку',
    challengeFail: 'Имитировать неудачную проверку',
  },
} satisfies Record<string, Record<string, string>>;

/** The messages of `locale` (`auto`, a tag like `pl` or `pl-PL`), English when unsupported. */
export function messagesFor(locale: string | undefined): StandInMessages {
  const wanted = !locale || locale === 'auto' ? navigator.languages : [locale];
  for (const tag of wanted) {
    const language = tag.toLowerCase().split('-')[0] as StandInLocale;
    if (language in messages) return messages[language];
  }
  return messages.en;
}
