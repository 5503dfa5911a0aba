"""Who the synthetic people are (``demo.cases``): name pools, and the origins that draw from them.

Given and family names per naming tradition; each ``Origin`` is a nationality (or none known)
with its weight and the pools its people's names come from.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Vocabulary -----------------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> list[str]:
    """The names in a block of text, split on whitespace (or on ``sep``, for names with spaces)."""
    return [" ".join(word.split()) for word in text.split(sep) if word.strip()]


# Given names per pool: (female, male). Family names per pool.
GIVEN_NAMES: dict[str, tuple[list[str], list[str]]] = {
    # Moroccan and wider Arabic (Maghreb, Syria, Sudan), with some Amazigh names.
    "arabic": (
        _words("""
            Fatima Khadija Aicha Meryem Salma Nadia Hanane Samira Latifa Zineb Hafsa Imane
            Karima Loubna Malika Naima Rachida Souad Siham Wafae Yasmine Zahra Asmae Btissam
            Chaimae Dounia Ghizlane Hajar Ikram Jamila Kenza Leila Mouna Nawal Oumaima Rajae
            Sanae Touria Itto Fadwa
        """),
        _words("""
            Mohamed Ahmed Youssef Hamza Omar Said Abdellah Rachid Mustapha Hassan Hicham Karim
            Khalid Mehdi Nabil Othmane Rida Soufiane Tarik Yassine Zakaria Adil Amine Anas Ayoub
            Brahim Driss Fouad Ilyas Ismail Jamal Lahcen Mourad Noureddine Redouane Samir Walid
            Yahya Abdelkader Aziz
        """),
    ),
    "french": (
        _words("""
            Marie Camille Léa Chloé Manon Sarah Julie Emma Inès Clara Laura Céline Nathalie
            Sophie Isabelle Aurélie Élodie Pauline Mélanie Audrey Justine Margaux Lucie Anaïs
            Océane Émilie Claire Hélène Christelle Sandrine Valérie Brigitte Josiane Bernadette
            Solange Odile Florence Agathe Jeanne Béatrice
        """),
        _words("""
            Jean Pierre Paul Jacques Michel Philippe Nicolas Julien Thomas Antoine François
            Laurent Olivier Stéphane Sébastien Christophe Éric Alain Bernard Patrick Hervé Didier
            Serge Thierry Emmanuel Guillaume Mathieu Vincent Benoît Arnaud Damien Fabrice Gérard
            Jérôme Lucien Marcel Noël Rodrigue Sylvain Yves
        """),
    ),
    # West and Central Africa, by naming tradition rather than by border.
    "sahel": (  # Fula, Mande, Wolof: Senegal, Guinea, Mali, Burkina Faso, northern Côte d'Ivoire
        _words("""
            Aminata Fatoumata Mariama Aïssatou Kadiatou Hawa Oumou Awa Adama Ramatoulaye Ndeye
            Coumba Binta Sokhna Marème Nafissatou Djeneba Kadi
        """),
        _words("""
            Mamadou Ousmane Ibrahima Moussa Abdoulaye Amadou Souleymane Boubacar Lamine Cheikh
            Modou Babacar Sékou Seydou Bakary Alpha
        """),
    ),
    "nigerian": (  # Igbo, Yoruba, and names common across southern Nigeria
        _words("""
            Ngozi Chiamaka Adaeze Nkechi Funmilayo Folake Yetunde Blessing Precious Joy Favour
            Omolara
        """),
        _words("""
            Chinedu Emeka Obinna Chukwuma Kelechi Ifeanyi Tunde Oluwaseun Babajide Segun Godwin
            Sunday
        """),
    ),
    "akan": (  # Côte d'Ivoire (Baoulé), Ghana
        _words("Adjoua Akissi Affoué Amenan Ama Akosua Abena Efua"),
        _words("Kouassi Kouadio Koffi Yao Konan Kwame Kwabena Kofi"),
    ),
    "central": (  # Cameroon, DR Congo
        _words("Grâce Esther Mireille Chantal Nadège Ornella Divine Merveille"),
        _words("Patrice Blaise Junior Prince Hervé Landry Cédric Fiston"),
    ),
    "filipino": (
        _words("Maria Ana Rosalie Marites Jocelyn Lorna Analyn Cristina Maricel Rowena Rhea Liza"),
        _words("Jose Juan Rodel Ramon Arnel Jomar Ronaldo Edwin Dante Reynaldo Rogelio Noel"),
    ),
}

FAMILY_NAMES: dict[str, list[str]] = {
    "arabic": _words(
        """
        El Amrani|Benali|Bennani|Alaoui|El Idrissi|Tazi|Berrada|Chraibi|Lahlou|Ouazzani|Sebti
        |Benjelloun|El Fassi|Bouzid|Cherkaoui|Daoudi|El Khatib|Hajji|Jaafari|Kettani|Lamrani
        |Mansouri|Naciri|Ouali|Rahmouni|Saidi|Tahiri|Ziani|Zerouali|Boukhari|El Ouardi|Haddad
        |Khalil|Mernissi|Ait Ali|Ait Ouahmane|Oukacha|Nasser|Darwish|Al Hassan
        """,
        sep="|",
    ),
    "french": _words("""
        Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
        Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre
        Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc
        Guérin Muller Henry Roussel Nicolas
    """),
    "sahel": _words("""
        Diallo Traoré Koné Camara Touré Keita Coulibaly Sylla Bah Barry Sow Ndiaye Diop Fall
        Sarr Gueye Cissé Diarra Sangaré Ouédraogo
    """),
    "nigerian": _words("Okafor Okonkwo Adeyemi Oladipo Eze Nwosu Okeke Balogun Ogunleye Obi"),
    "akan": _words("Kouamé N'Guessan Konan Kouadio Mensah Owusu Boateng Asante"),
    "central": _words(
        "Mbarga Nkoulou Fotso Tchakounté Tshibanda Kabongo Mukendi Ilunga Lukusa Mbuyi"
    ),
    "filipino": _words(
        """
        Santos|Reyes|Cruz|Bautista|Mendoza|Dela Cruz|Ramos|Aquino|Villanueva|Castillo|Navarro
        |Manalo
        """,
        sep="|",
    ),
}


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of the weight table
class Origin:
    nationality: str | None  # ISO 3166 alpha-2; None when not known
    weight: float
    given: dict[str, float]  # name pool → weight
    family: dict[str, float]


SAHEL = {"sahel": 1.0}
ARABIC = {"arabic": 1.0}
ORIGINS = [
    Origin("MA", 30, ARABIC, ARABIC),
    Origin("NG", 13, {"nigerian": 1.0}, {"nigerian": 1.0}),
    Origin("CI", 9, {"akan": 0.45, "sahel": 0.3, "french": 0.25}, {"akan": 0.6, "sahel": 0.4}),
    Origin("CM", 8, {"central": 0.5, "french": 0.5}, {"central": 1.0}),
    Origin("GN", 7, SAHEL, SAHEL),
    Origin("SN", 6, SAHEL, SAHEL),
    Origin("CD", 5, {"central": 0.5, "french": 0.5}, {"central": 1.0}),
    Origin("ML", 5, SAHEL, SAHEL),
    Origin("SY", 3, ARABIC, ARABIC),
    Origin("PH", 3, {"filipino": 1.0}, {"filipino": 1.0}),
    Origin("BF", 2, SAHEL, SAHEL),
    Origin("GH", 2, {"akan": 1.0}, {"akan": 1.0}),
    Origin("DZ", 2, ARABIC, ARABIC),
    Origin("SD", 1, ARABIC, ARABIC),
    Origin("FR", 1, {"french": 1.0}, {"french": 1.0}),
    Origin(None, 2, {"sahel": 0.5, "nigerian": 0.5}, {"sahel": 0.5, "nigerian": 0.5}),
]
