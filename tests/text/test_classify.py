"""Document-type classifier: realistic KPU naskah dinas, clean and through simulated OCR."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import pytest

from tasks.text.classify import DEFAULT_RULES_PATH, Classification, classify, load_rules

KOP = """KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH
Jalan Raya Bengkulu-Kepahiang Km. 12 Karang Tinggi, Telepon (0736) 21234, kpu.benteng@gmail.com
"""

SAMPLES: dict[str, str] = {
    "peraturan": """PERATURAN KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA
NOMOR 22 TAHUN 2023
TENTANG
PENGELOLAAN DAN PELAYANAN INFORMASI PUBLIK DI LINGKUNGAN KOMISI PEMILIHAN UMUM
DENGAN RAHMAT TUHAN YANG MAHA ESA
KETUA KOMISI PEMILIHAN UMUM,
Menimbang : a. bahwa untuk melaksanakan ketentuan Pasal 7 Undang-Undang Nomor 14 Tahun 2008
tentang Keterbukaan Informasi Publik, perlu mengatur pengelolaan informasi publik;
b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan
Peraturan Komisi Pemilihan Umum tentang Pengelolaan dan Pelayanan Informasi Publik;
Mengingat : 1. Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;
2. Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;
MEMUTUSKAN:
Menetapkan : PERATURAN KOMISI PEMILIHAN UMUM TENTANG PENGELOLAAN DAN PELAYANAN INFORMASI
PUBLIK DI LINGKUNGAN KOMISI PEMILIHAN UMUM.
BAB I
KETENTUAN UMUM
Pasal 1
Dalam Peraturan Komisi ini yang dimaksud dengan:
1. Informasi Publik adalah informasi yang dihasilkan, disimpan, dikelola, dikirim, dan/atau
diterima oleh suatu badan publik.
2. Pejabat Pengelola Informasi dan Dokumentasi yang selanjutnya disingkat PPID adalah pejabat
yang bertanggung jawab di bidang penyimpanan, pendokumentasian, penyediaan, dan/atau
pelayanan informasi di badan publik.
Pasal 2
PPID di lingkungan KPU terdiri atas PPID KPU, PPID KPU Provinsi, dan PPID KPU Kabupaten/Kota.
Ditetapkan di Jakarta
pada tanggal 3 Oktober 2023
KETUA KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA,
ttd.
HASYIM ASY'ARI
Diundangkan di Jakarta
pada tanggal 5 Oktober 2023
BERITA NEGARA REPUBLIK INDONESIA TAHUN 2023 NOMOR 812
""",
    "keputusan": KOP
    + """KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH
NOMOR: 12/HK.03.1-Kpt/1709/KPU-Kab/III/2023
TENTANG
PENETAPAN DAFTAR INFORMASI YANG DIKECUALIKAN DI LINGKUNGAN
KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH
DENGAN RAHMAT TUHAN YANG MAHA ESA
KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,
Menimbang : a. bahwa berdasarkan Pasal 17 Undang-Undang Nomor 14 Tahun 2008 tentang
Keterbukaan Informasi Publik, terdapat informasi yang dikecualikan;
b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan
Keputusan Komisi Pemilihan Umum Kabupaten Bengkulu Tengah;
Mengingat : 1. Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;
2. Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14
Tahun 2008 tentang Keterbukaan Informasi Publik;
3. Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan Pelayanan
Informasi Publik di Lingkungan Komisi Pemilihan Umum;
MEMUTUSKAN:
Menetapkan : KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH TENTANG PENETAPAN
DAFTAR INFORMASI YANG DIKECUALIKAN.
KESATU : Menetapkan daftar informasi yang dikecualikan sebagaimana tercantum dalam
Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini.
KEDUA : Keputusan ini mulai berlaku pada tanggal ditetapkan.
Ditetapkan di Karang Tinggi
pada tanggal 14 Maret 2023
KETUA KOMISI PEMILIHAN UMUM
KABUPATEN BENGKULU TENGAH,
ttd.
RUSMAN SUDARSONO
""",
    "surat_edaran": KOP
    + """Yth. 1. Sekretaris KPU Kabupaten Bengkulu Tengah;
2. Kepala Subbagian di lingkungan KPU Kabupaten Bengkulu Tengah;
di -
Karang Tinggi
SURAT EDARAN
NOMOR 3 TAHUN 2024
TENTANG
PENGELOLAAN ARSIP DAN DOKUMENTASI INFORMASI PUBLIK
Sehubungan dengan pelaksanaan pelayanan informasi publik, bersama ini disampaikan hal-hal
sebagai berikut:
1. setiap divisi menyerahkan salinan dokumen yang telah diverifikasi kepada PPID paling
lambat 1 (satu) jam setelah dokumen ditandatangani;
2. dokumen asli disimpan dalam arsip fisik dan dicatat lokasi penyimpanannya;
3. informasi yang dikecualikan tidak boleh diunggah ke laman resmi.
Demikian Surat Edaran ini disampaikan untuk dilaksanakan dengan penuh tanggung jawab.
Karang Tinggi, 8 Januari 2024
KETUA,
RUSMAN SUDARSONO
""",
    "surat": KOP
    + """Nomor : 590/PL.02.4/1709/KPU-Kab/XI/2023          Karang Tinggi, 14 November 2023
Sifat : Biasa
Lampiran : 1 (satu) berkas
Hal : Undangan Rapat Koordinasi Pemutakhiran Data Pemilih
Yth. Ketua Panitia Pemilihan Kecamatan se-Kabupaten Bengkulu Tengah
di -
Tempat
Dengan hormat,
Dalam rangka persiapan rekapitulasi daftar pemilih tetap, kami mengundang Saudara untuk
hadir pada rapat koordinasi yang akan dilaksanakan pada:
hari/tanggal : Kamis, 16 November 2023
waktu : 09.00 WIB s.d. selesai
tempat : Aula KPU Kabupaten Bengkulu Tengah
Atas perhatian dan kehadiran Saudara diucapkan terima kasih.
Ketua,
RUSMAN SUDARSONO
""",
    "nota_dinas": KOP
    + """NOTA DINAS
NOMOR: 45/ND/1709/KPU-Kab/VIII/2023
Yth. : Ketua KPU Kabupaten Bengkulu Tengah
Dari : Sekretaris KPU Kabupaten Bengkulu Tengah
Tembusan : Kepala Subbagian Teknis dan Hubungan Partisipasi Masyarakat
Tanggal : 21 Agustus 2023
Sifat : Segera
Hal : Permohonan Persetujuan Penggunaan Aula
Bersama ini kami laporkan bahwa aula kantor akan digunakan untuk kegiatan bimbingan teknis
bagi Panitia Pemungutan Suara pada tanggal 25 Agustus 2023. Mohon persetujuan Bapak.
Demikian disampaikan, atas perhatiannya diucapkan terima kasih.
Sekretaris,
ANDI SAPUTRA
""",
    "memorandum": KOP
    + """MEMORANDUM
Nomor : 07/MEMO/1709/KPU-Kab/II/2024
Yth. : Kepala Subbagian Keuangan, Umum dan Logistik
Dari : Ketua KPU Kabupaten Bengkulu Tengah
Hal : Percepatan Distribusi Logistik Pemilu
Sehubungan dengan jadwal distribusi logistik, diminta agar Saudara memastikan seluruh kotak
suara telah diterima Panitia Pemilihan Kecamatan paling lambat tanggal 10 Februari 2024.
Karang Tinggi, 2 Februari 2024
Ketua,
RUSMAN SUDARSONO
""",
    "surat_tugas": KOP
    + """SURAT TUGAS
NOMOR: 88/SDM.04-ST/1709/KPU-Kab/VII/2023
Dasar : Surat Ketua KPU Provinsi Bengkulu Nomor 301/SDM.04-Und/17/2023 perihal Undangan
Bimbingan Teknis Pengelolaan Informasi Publik.
MEMERINTAHKAN:
Kepada : 1. Nama : DEWI LESTARI, S.H.
NIP : 19850312 201001 2 004
Jabatan : Kepala Subbagian Hukum dan SDM
2. Nama : RAHMAT HIDAYAT
NIP : 19900715 201503 1 002
Jabatan : Pengelola Data
Untuk : mengikuti Bimbingan Teknis Pengelolaan Informasi Publik pada tanggal 20 s.d. 22 Juli
2023 di Kota Bengkulu.
Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab.
Karang Tinggi, 17 Juli 2023
Sekretaris,
ANDI SAPUTRA
""",
    "berita_acara": KOP
    + """BERITA ACARA
NOMOR: 31/PL.01.7-BA/1709/2023
TENTANG
REKAPITULASI DAFTAR PEMILIH TETAP TINGKAT KABUPATEN
Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu dua puluh tiga,
bertempat di Aula KPU Kabupaten Bengkulu Tengah, telah dilaksanakan Rapat Pleno Terbuka
Rekapitulasi Daftar Pemilih Tetap dengan hasil sebagaimana tercantum dalam lampiran.
Rapat dihadiri oleh anggota KPU Kabupaten, Bawaslu Kabupaten dan saksi partai politik.
Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.
KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH
Ketua, RUSMAN SUDARSONO
Anggota, DEWI KARTIKA
""",
    "notulen": KOP
    + """NOTULEN RAPAT
Hari/Tanggal : Selasa, 5 September 2023
Waktu : 09.00 - 12.00 WIB
Tempat : Ruang Rapat KPU Kabupaten Bengkulu Tengah
Pimpinan Rapat : Ketua KPU Kabupaten Bengkulu Tengah
Peserta Rapat : Anggota KPU, Sekretaris, para Kepala Subbagian
Agenda : Evaluasi pelayanan informasi publik semester I
Jalannya rapat:
1. Ketua membuka rapat dan menyampaikan capaian pelayanan informasi.
2. Sekretaris melaporkan 14 permohonan informasi yang telah dilayani.
Kesimpulan:
Daftar informasi publik diperbarui paling lambat akhir bulan.
Notulis,
SITI AMINAH
""",
    "laporan": KOP
    + """LAPORAN PELAKSANAAN LAYANAN INFORMASI PUBLIK
TAHUN 2023
KATA PENGANTAR
Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya laporan ini.
DAFTAR ISI
BAB I PENDAHULUAN
A. Latar Belakang
Undang-Undang Nomor 14 Tahun 2008 mewajibkan setiap badan publik menyampaikan laporan
layanan informasi publik. Keputusan KPU Nomor 88/Kpts/KPU/TAHUN 2015 serta berita acara
uji konsekuensi menjadi dasar pengelolaan informasi yang dikecualikan.
B. Maksud dan Tujuan
Laporan ini disusun sebagai bentuk pertanggungjawaban PPID.
BAB II GAMBARAN UMUM LAYANAN
Selama tahun 2023 PPID menerima 42 permohonan informasi.
BAB III PENUTUP
Demikian laporan ini disusun.
""",
    "sop": KOP
    + """STANDAR OPERASIONAL PROSEDUR
PENDOKUMENTASIAN INFORMASI YANG DIKECUALIKAN
Nomor SOP : 05/SOP/PPID/1709/2023
Tanggal Pembuatan : 2 Januari 2023
Tanggal Pengesahan : 9 Januari 2023
Disahkan oleh : Ketua KPU Kabupaten Bengkulu Tengah
Nama SOP : Pendokumentasian Informasi yang Dikecualikan
Dasar Hukum : 1. Undang-Undang Nomor 14 Tahun 2008; 2. PKPU Nomor 22 Tahun 2023
Kualifikasi Pelaksana : Memahami tugas dan fungsi PPID
Keterkaitan : SOP Pelayanan Permohonan Informasi
Peralatan/Perlengkapan : Komputer, pemindai, lemari arsip
Peringatan : Dokumen yang tidak didokumentasikan sulit ditelusuri
Pencatatan dan Pendataan : Buku register, berkas digital
No | Kegiatan | Pelaksana | Mutu Baku: Kelengkapan | Waktu | Output
1 | Menerima dokumen dari divisi | Petugas PPID | dokumen | 1 jam | tanda terima
""",
    "formulir": KOP
    + """FORMULIR PERMOHONAN INFORMASI PUBLIK
No. Pendaftaran : 014/PPID/IX/2023
Nama : Budi Santoso
NIK : 1709012345670001
Alamat : Jalan Merdeka No. 5, Karang Tinggi
Nomor Telepon/Email : 081234567890
Rincian Informasi yang Dibutuhkan : Salinan Berita Acara Rekapitulasi DPT
Tujuan Penggunaan Informasi : Penelitian
Cara Memperoleh Informasi : Melihat / Mendapatkan salinan
(diisi oleh petugas)
Petugas Pelayanan Informasi, Pemohon Informasi,
(tanda tangan) (tanda tangan)
""",
    "daftar_informasi": KOP
    + """DAFTAR INFORMASI YANG DIKECUALIKAN
KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH TAHUN 2023
No | Informasi yang Dikecualikan | Dasar Hukum | Konsekuensi bila Dibuka |
Pertimbangan bila Ditutup | Jangka Waktu | Keputusan | Keterangan
1 | Data pribadi pemilih (NIK, Nomor KK) | UU 14/2008 Pasal 17 huruf h | mengungkap rahasia
pribadi | melindungi privasi | selama belum ada persetujuan tertulis | 12/HK.03.1-Kpt/2023 |
2 | Dokumen pemeriksaan pelanggaran kode etik | UU 14/2008 Pasal 17 huruf a | menghambat
penegakan hukum | proses belum selesai | 5 tahun | 12/HK.03.1-Kpt/2023 |
""",
}

LABELS = tuple(SAMPLES)

_SWAPS = {"O": "0", "0": "O", "I": "1l", "1": "Il", "l": "1I"}


def ocr_noise(text: str, seed: int) -> str:
    """Tesseract-like damage: O/0 and I/1/l swaps, dropped letters, Kab->Kah, stray spaces."""
    rng = random.Random(seed)
    out: list[str] = []
    for char in text.replace("Kab", "Kah").replace("KAB", "KAH"):
        roll = rng.random()
        if char in _SWAPS and roll < 0.2:
            char = rng.choice(_SWAPS[char])
        elif char.isalpha() and roll < 0.03:
            continue
        out.append(char)
        if char != "\n" and rng.random() < 0.02:
            out.append(" ")
    return "".join(out)


def test_samples_cover_every_label_of_the_bundled_rules() -> None:
    assert set(LABELS) == set(load_rules().labels)


@pytest.mark.parametrize("label", LABELS)
def test_clean_sample_is_classified_with_confidence(label: str) -> None:
    result = classify(SAMPLES[label])
    assert result.doc_type == label, result
    assert result.confidence >= 0.6, result
    assert any(cue.startswith("heading:") for cue in result.matched), result


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("seed", range(5))
def test_sample_survives_ocr_noise(label: str, seed: int) -> None:
    noisy = ocr_noise(SAMPLES[label], seed)
    assert noisy != SAMPLES[label]
    result = classify(noisy)
    assert result.doc_type == label, (result, noisy[:400])
    assert result.confidence >= 0.5, result


def test_noise_function_is_deterministic_and_damaging() -> None:
    text = SAMPLES["keputusan"]
    assert ocr_noise(text, 1) == ocr_noise(text, 1)
    assert ocr_noise(text, 1) != ocr_noise(text, 2)
    assert "Kah" in ocr_noise(text, 1)
    assert len(ocr_noise(text, 1).split()) > len(text.split())


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("K E P U T U S A N", "keputusan"),
        ("KE PUTUSAN", "keputusan"),
        ("KEPUTUUSAN", "keputusan"),
        ("KEPTUSAN", "keputusan"),
        ("kEPUTUSAN", "keputusan"),
        ("BERlTA ACAR A", "berita_acara"),
        ("N0TA D1NAS", "nota_dinas"),
        ("SURAT EDAPAN", "surat_edaran"),
        ("'STANDAR 0PERASIONAL PR0SEDUR", "sop"),
        ("KEPU’TUSAN «KETUA»", "keputusan"),
    ],
)
def test_heading_variants_from_ocr_still_match(heading: str, label: str) -> None:
    result = classify(f"{KOP}{heading}\nNOMOR 5 TAHUN 2023\nisi dokumen tanpa ciri lain\n")
    assert result.doc_type == label, result


def test_regulation_cited_in_mengingat_does_not_make_a_decree_a_regulation() -> None:
    # "Peraturan ..." starting a line inside the head, without the list number OCR often loses.
    text = KOP + (
        "KEPUTUSAN KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH\n"
        "NOMOR 7 TAHUN 2024\nTENTANG\nPEMBENTUKAN TIM PERTIMBANGAN PPID\n"
        "Menimbang : bahwa perlu membentuk Tim Pertimbangan;\n"
        "Mengingat :\nPeraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan\n"
        "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan\n"
        "MEMUTUSKAN:\nMenetapkan : KEPUTUSAN KETUA TENTANG PEMBENTUKAN TIM PERTIMBANGAN\n"
        "KESATU : Membentuk Tim Pertimbangan PPID.\n"
        "KEDUA : Keputusan ini berlaku sejak ditetapkan.\n"
    )
    result = classify(text)
    assert result.doc_type == "keputusan", result
    assert result.confidence >= 0.8, result  # the regulation lines barely count


def test_decree_establishing_the_dik_is_a_decree_but_its_annex_alone_is_the_dik() -> None:
    table = "\n".join(SAMPLES["daftar_informasi"].splitlines()[4:])
    decree = SAMPLES["keputusan"].replace(
        "PENETAPAN DAFTAR INFORMASI YANG DIKECUALIKAN DI LINGKUNGAN\n",
        "DAFTAR INFORMASI YANG DIKECUALIKAN DI LINGKUNGAN\n",
    )
    result = classify(decree + "LAMPIRAN\n" + table)
    assert result.doc_type == "keputusan", result
    assert result.confidence >= 0.6, result
    annex = "LAMPIRAN KEPUTUSAN KPU KABUPATEN BENGKULU TENGAH\nNOMOR 12 TAHUN 2023\n"
    annex += "DAFTAR INFORMASI YANG DIKECUALIKAN\n" + table
    assert classify(annex).doc_type == "daftar_informasi"


def test_report_named_in_a_berita_acara_title_does_not_make_it_a_report() -> None:
    text = KOP + (
        "BERITA ACARA\nNOMOR: 1/BA/2023\nTENTANG\nLAPORAN HASIL VERIFIKASI DANA KAMPANYE\n"
        "Pada hari ini Senin tanggal satu bulan Mei tahun dua ribu dua puluh tiga\n"
        "Demikian berita acara ini dibuat.\n"
    )
    assert classify(text).doc_type == "berita_acara"


def test_circular_opening_with_yth_list_is_a_surat_edaran_not_a_letter() -> None:
    result = classify(SAMPLES["surat_edaran"])
    assert result.doc_type == "surat_edaran"
    assert "structure:Yth." in result.matched


def test_berita_acara_that_mentions_minutes_stays_berita_acara() -> None:
    text = KOP + (
        "BERITA ACARA\nNOMOR: 12/BA/1709/2023\nTENTANG\nHASIL RAPAT PLENO PENETAPAN DPT\n"
        "Pada hari ini Kamis tanggal tujuh bulan September tahun dua ribu dua puluh tiga,\n"
        "Tempat : Aula KPU Kabupaten Bengkulu Tengah\n"
        "Pimpinan Rapat : Ketua KPU. Jalannya rapat dicatat dalam notulen rapat terlampir\n"
        "yang dibuat oleh notulis.\n"
        "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.\n"
    )
    result = classify(text)
    assert result.doc_type == "berita_acara", result
    assert result.confidence >= 0.6, result


def test_invitation_letter_with_meeting_details_is_a_letter_not_minutes() -> None:
    result = classify(SAMPLES["surat"])
    assert result.doc_type == "surat"
    assert {"heading:Sifat :", "structure:DENGAN HORMAT"} <= set(result.matched)


def test_report_quoting_decrees_and_official_reports_stays_a_report() -> None:
    result = classify(SAMPLES["laporan"])
    assert result.doc_type == "laporan"
    assert result.confidence >= 0.8


def test_well_structured_documents_get_high_confidence() -> None:
    for label in ("keputusan", "peraturan", "surat", "notulen"):
        assert classify(SAMPLES[label]).confidence >= 0.8, label


def test_weak_evidence_gives_low_confidence() -> None:
    result = classify("Dengan hormat, bersama ini kami sampaikan berkas yang diminta.")
    assert result.doc_type == "lainnya"
    assert result.confidence < 0.3


def test_conflicting_headings_give_low_confidence() -> None:
    result = classify(f"{KOP}NOTA DINAS\nMEMORANDUM\nHal : koordinasi\n")
    assert result.confidence < 0.5, result


def test_only_letter_fields_is_a_weak_letter() -> None:
    result = classify("Sifat : Biasa\nHal : Permohonan data\nbersama ini kami kirimkan datanya")
    assert result.doc_type == "surat"
    assert result.confidence < 0.5


@pytest.mark.parametrize("text", ["", "   \n\t \n"])
def test_empty_text_is_lainnya_with_zero_confidence(text: str) -> None:
    assert classify(text) == Classification("lainnya", 0.0, ())


def test_text_without_cues_is_lainnya_with_low_confidence() -> None:
    text = "Hasil foto kegiatan sosialisasi pemilih pemula di SMA Negeri 1 Karang Tinggi.\n" * 20
    result = classify(text)
    assert result.doc_type == "lainnya"
    assert 0.0 < result.confidence <= 0.3
    assert result.matched == ()


def test_default_rules_are_loaded_once_and_match_explicit_rules() -> None:
    rules = load_rules()
    assert classify(SAMPLES["sop"]) == classify(SAMPLES["sop"], rules)
    assert load_rules(DEFAULT_RULES_PATH).version == rules.version
    assert rules.version.startswith("2025.1+")


def test_version_changes_when_the_rules_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "rules.toml"
    copy.write_text(DEFAULT_RULES_PATH.read_text(encoding="utf-8") + "\n# tuned\n")
    assert load_rules(copy).version != load_rules().version


MINIMAL = """
version = "t1"
labels = ["pengumuman", "surat"]
[settings]
fallback = "lainnya"
head_lines = 8
heading_decay = 0.5
min_score = 3.0
confidence_scale = 4.0
fallback_confidence = 0.3
fuzzy_edit_lengths = [4]
[rules.pengumuman]
heading = [{ phrase = "PENGUMUMAN", weight = 8 }]
structure = [{ name = "ditetapkan", regex = 'DITETAPKAN\\s+SEBAGAI', weight = 2 }]
[rules.surat]
heading = [{ name = "Hal", regex = 'HAL\\s*:', weight = 3 }]
structure = [{ phrase = "DENGAN HORMAT", weight = 2 }]
negative = [{ phrase = "PENGUMUMAN", weight = 5, scope = "head" }]
"""


def test_custom_rules_file_adds_a_label(tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_text(MINIMAL)
    rules = load_rules(path)
    assert rules.labels == ("pengumuman", "surat")
    text = KOP + "PENGUMUMAN\nNOMOR 4/PL.02-Pu/2023\nDitetapkan sebagai calon terpilih:\n"
    result = classify(text, rules)
    assert result.doc_type == "pengumuman"
    assert result.confidence >= 0.6
    assert result.matched == ("heading:PENGUMUMAN", "structure:ditetapkan")
    # The bundled rules know no such label.
    assert classify(text).doc_type == "lainnya"
    assert classify("Hal : data\nDengan hormat,", rules).doc_type == "surat"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("weight = 8 }", "weight = 8, colour = 1 }", "unknown key(s) ['colour']"),
        ("'DITETAPKAN\\s+SEBAGAI'", "'DITETAPKAN(\\s+'", "pengumuman.structure[0]: bad regex"),
        ('labels = ["pengumuman", "surat"]', 'labels = ["pengumuman", "surat", "sop"]', "'sop'"),
        ('labels = ["pengumuman", "surat"]', 'labels = ["pengumuman"]', "[rules.surat]"),
        ('labels = ["pengumuman", "surat"]', 'labels = ["surat", "surat"]', "label twice"),
        ("fuzzy_edit_lengths = [4]", "fuzzy_edit_lengths = [8, 4]", "fuzzy_edit_lengths"),
        ("weight = 8 }", "weight = -1 }", "weight must be a positive number"),
        ("weight = 8 }", "weight = true }", "weight must be a positive number"),
        ('phrase = "PENGUMUMAN", weight = 8', "weight = 8", "exactly one of 'phrase' or 'regex'"),
        ("head_lines = 8", "head_lines = 0", "head_lines"),
        ("head_lines = 8\n", "", "missing key(s) ['head_lines']"),
        ('scope = "head"', 'scope = "body"', "scope must be 'head' or 'text'"),
        ('fallback = "lainnya"', 'fallback = "surat"', "fallback label 'surat'"),
        ('version = "t1"', "version = 1", "'version'"),
        ('version = "t1"', 'version = "t1"\nextra = 2', "top level: unknown key(s) ['extra']"),
        ("[rules.surat]\n", "[rules.surat]\nfooter = []\n", "unknown key(s) ['footer']"),
        ("[settings]", "[settings", "not valid TOML"),
    ],
)
def test_malformed_rules_file_raises_a_clear_value_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in MINIMAL
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL.replace(old, new, 1))
    with pytest.raises(ValueError) as excinfo:
        load_rules(path)
    assert message in str(excinfo.value)
    assert str(path) in str(excinfo.value)


def test_five_page_document_is_classified_in_a_few_milliseconds() -> None:
    # A decree with a long annex (~5 pages) whose body carries every other type's cues.
    annex = "\n".join(SAMPLES[label] for label in LABELS if label != "keputusan")
    text = SAMPLES["keputusan"] + "LAMPIRAN\n" + annex + annex[:3000]
    assert 12_000 < len(text) < 16_000
    rules = load_rules()
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        result = classify(text, rules)
        timings.append(time.perf_counter() - start)
    assert result.doc_type == "keputusan"
    # Generous bound for shared CI machines; measured well under 2 ms locally.
    assert statistics.median(timings) < 0.010
