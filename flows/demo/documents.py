"""Realistic KPU naskah dinas (keputusan, surat, berita acara, notulen, SOP, formulir)
as text lines with the metadata a reader would extract from them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

LINES_PER_PAGE = 44


@dataclass(frozen=True)
class SampleDoc:
    doc_type: str
    number: str | None
    date: date | None
    unit: str | None
    title: str | None
    lines: tuple[str, ...]
    nik: tuple[str, ...] = field(default=())

    def pages(self, lines_per_page: int = LINES_PER_PAGE) -> list[list[str]]:
        return [
            list(self.lines[i : i + lines_per_page])
            for i in range(0, len(self.lines), lines_per_page)
        ]


LETTERHEAD = (
    "KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH",
    "Jalan Raya Karang Tinggi Nomor 12, Bengkulu Tengah 38382",
    "",
)


def keputusan() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH",
        "NOMOR 590/PL.02.4/1906/KPU-Kab/XI/2020",
        "TENTANG",
        "PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN BUPATI DAN WAKIL BUPATI",
        "",
        "KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,",
        "Menimbang : a. bahwa berdasarkan ketentuan Pasal 58 Undang-Undang Nomor 10",
        "            Tahun 2016, perlu menetapkan daftar pemilih tetap;",
        "Mengingat : 1. Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum;",
        "            2. Peraturan Komisi Pemilihan Umum Nomor 19 Tahun 2019;",
        "MEMUTUSKAN:",
        "Menetapkan : KEPUTUSAN TENTANG PENETAPAN DAFTAR PEMILIH TETAP.",
        "KESATU : Menetapkan jumlah pemilih tetap sebanyak 78.412 orang.",
        "KEDUA : Keputusan ini mulai berlaku pada tanggal ditetapkan.",
        "",
        "Ditetapkan di Karang Tinggi",
        "pada tanggal 14 November 2020",
        "KETUA KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH,",
    )
    return SampleDoc(
        "keputusan",
        "590/PL.02.4/1906/KPU-Kab/XI/2020",
        date(2020, 11, 14),
        "KPU Kabupaten Bengkulu Tengah",
        "PENETAPAN DAFTAR PEMILIH TETAP PEMILIHAN BUPATI DAN WAKIL BUPATI",
        lines,
    )


def surat() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "Nomor    : 123/PP.01-SD/06/KPU-Kab/2022          Karang Tinggi, 5 Januari 2022",
        "Sifat    : Biasa",
        "Lampiran : 1 (satu) berkas",
        "Hal      : Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        "",
        "Yth. Ketua Panitia Pemilihan Kecamatan",
        "di Tempat",
        "",
        "Dengan hormat,",
        "Dalam rangka persiapan pemutakhiran data pemilih berkelanjutan, kami",
        "mengundang Saudara untuk hadir pada rapat koordinasi yang akan dilaksanakan",
        "pada hari Senin, 10 Januari 2022 pukul 09.00 WIB di Aula Kantor KPU.",
        "Demikian disampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
        "",
        "Ketua,",
        "Ir. Wahyu Santoso",
    )
    return SampleDoc(
        "surat",
        "123/PP.01-SD/06/KPU-Kab/2022",
        date(2022, 1, 5),
        "KPU Kabupaten Bengkulu Tengah",
        "Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        lines,
    )


def berita_acara() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "BERITA ACARA",
        "NOMOR 45/PL.02.6-BA/1709/2023",
        "TENTANG",
        "REKAPITULASI DAFTAR PEMILIH SEMENTARA",
        "",
        "Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu dua",
        "puluh tiga, bertempat di Kantor KPU Kabupaten Bengkulu Tengah, telah",
        "dilaksanakan rapat pleno terbuka rekapitulasi daftar pemilih sementara.",
        "Rapat dihadiri oleh para pihak yang bertanda tangan di bawah ini.",
        "Berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana",
        "mestinya.",
        "",
        "PIHAK PERTAMA                      PIHAK KEDUA",
    )
    return SampleDoc(
        "berita_acara",
        "45/PL.02.6-BA/1709/2023",
        date(2023, 8, 14),
        "KPU Kabupaten Bengkulu Tengah",
        "REKAPITULASI DAFTAR PEMILIH SEMENTARA",
        lines,
    )


def notulen() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "NOTULEN RAPAT",
        "Hari/Tanggal     : Kamis, 7 September 2023",
        "Waktu            : 09.00 - 12.00 WIB",
        "Tempat           : Ruang Rapat KPU Kabupaten Bengkulu Tengah",
        "Pimpinan Rapat   : Ketua KPU Kabupaten Bengkulu Tengah",
        "Agenda           : Evaluasi Tahapan Pencalonan Anggota DPRD",
        "Notulis          : Siti Rahmawati",
        "",
        "1. Ketua membuka rapat dan menyampaikan agenda.",
        "2. Divisi Teknis melaporkan hasil verifikasi dokumen bakal calon.",
        "3. Rapat menyepakati jadwal klarifikasi kepada partai politik.",
    )
    return SampleDoc(
        "notulen",
        None,
        date(2023, 9, 7),
        "KPU Kabupaten Bengkulu Tengah",
        "Evaluasi Tahapan Pencalonan Anggota DPRD",
        lines,
    )


def formulir_with_nik(nik: str = "1709054507890003", kk: str = "1709051203110007") -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "FORMULIR PERMOHONAN INFORMASI PUBLIK",
        "No. Pendaftaran : 017/PPID/VIII/2023",
        "",
        "Nama            : Rina Marlina",
        f"NIK             : {nik}",
        f"Nomor KK        : {kk}",
        "Alamat          : Desa Pagar Jati, Kecamatan Pagar Jati",
        "Pekerjaan       : Guru",
        "Rincian informasi yang dibutuhkan : Salinan keputusan penetapan DPT",
        "Tujuan penggunaan informasi : Penelitian",
        "",
        "Karang Tinggi, 21 Agustus 2023",
    )
    return SampleDoc(
        "formulir",
        "017/PPID/VIII/2023",
        date(2023, 8, 21),
        "KPU Kabupaten Bengkulu Tengah",
        None,
        lines,
        nik=(nik, kk),
    )


def sop() -> SampleDoc:
    lines = (
        *LETTERHEAD,
        "STANDAR OPERASIONAL PROSEDUR",
        "Nomor SOP          : 02 TAHUN 2022",
        "Tanggal Pembuatan  : 3 Maret 2022",
        "Tanggal Pengesahan : 10 Maret 2022",
        "Disahkan oleh      : Sekretaris KPU Kabupaten Bengkulu Tengah",
        "Nama SOP           : Pendokumentasian Informasi yang Dikecualikan",
        "Dasar Hukum        : Undang-Undang Nomor 14 Tahun 2008",
        "Kualifikasi Pelaksana : Memahami tugas pengelolaan informasi",
        "Peralatan/Perlengkapan : Komputer, pemindai",
        "Mutu Baku : kelengkapan, waktu 1 jam, output dokumen terarsip",
    )
    return SampleDoc(
        "sop",
        "02 TAHUN 2022",
        date(2022, 3, 10),
        "KPU Kabupaten Bengkulu Tengah",
        "Pendokumentasian Informasi yang Dikecualikan",
        lines,
    )


def all_samples() -> list[SampleDoc]:
    return [keputusan(), surat(), berita_acara(), notulen(), formulir_with_nik(), sop()]


BODY = (
    "Penyelenggaraan pemilihan umum dilaksanakan secara langsung, umum, bebas,",
    "rahasia, jujur dan adil oleh Komisi Pemilihan Umum beserta jajarannya di",
    "daerah. Informasi publik yang dikecualikan dikelola oleh Pejabat Pengelola",
    "Informasi dan Dokumentasi sesuai dengan ketentuan peraturan perundangan.",
)


def long_document(pages: int, seed: int = 7) -> SampleDoc:
    """A multi-page laporan for benchmarks: a real heading, then varied body text."""
    rng = random.Random(seed)
    head = (
        *LETTERHEAD,
        "LAPORAN KINERJA PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI",
        "TAHUN 2023",
        "",
        "KATA PENGANTAR",
    )
    body: list[str] = []
    while len(head) + len(body) < pages * LINES_PER_PAGE:
        line = rng.choice(BODY).split()
        rng.shuffle(line)
        body.append(" ".join(line)[:76])
    return SampleDoc(
        "laporan",
        None,
        None,
        "KPU Kabupaten Bengkulu Tengah",
        None,
        (*head, *body)[: pages * LINES_PER_PAGE],
    )
