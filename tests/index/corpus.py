"""A small, realistic corpus of KPU documents for the index tests."""

from __future__ import annotations

from datetime import date

from index import IndexDoc

KAB = "KPU Kabupaten Bengkulu Tengah"
PROV = "KPU Provinsi Bengkulu"
NIK = "3201234567890123"


def _doc(
    doc_id: str,
    *,
    title: str,
    text: str,
    doc_type: str,
    access: str = "terbuka",
    when: date | None = None,
    number: str | None = None,
    unit: str | None = KAB,
    codes: tuple[str, ...] = (),
) -> IndexDoc:
    return IndexDoc(
        id=doc_id,
        number=number,
        title=title,
        text=text,
        doc_type=doc_type,
        unit=unit,
        access=access,
        date=when,
        year=when.year if when else None,
        source_name=f"{doc_id}.pdf",
        codes=codes,
    )


SPECIAL: tuple[IndexDoc, ...] = (
    _doc(
        "kpts-88",
        number="88/Kpts/KPU/TAHUN 2015",
        title="Penetapan Daftar Pemilih Tetap Pemilihan Bupati dan Wakil Bupati",
        text=(
            "KEPUTUSAN KOMISI PEMILIHAN UMUM KABUPATEN BENGKULU TENGAH NOMOR "
            "88/Kpts/KPU/TAHUN 2015 TENTANG PENETAPAN DAFTAR PEMILIH TETAP. Menimbang "
            "bahwa warga yang memenuhi syarat berhak memilih dalam pemilihan bupati. "
            "MEMUTUSKAN: Menetapkan daftar pemilih tetap sebagaimana tercantum dalam lampiran."
        ),
        doc_type="keputusan",
        when=date(2015, 6, 10),
    ),
    _doc(
        "rujukan-88",
        title="Tindak Lanjut Keputusan tentang Daftar Pemilih",
        text=(
            "Mengingat Keputusan KPU Nomor 88/Kpts/KPU/TAHUN 2015, Keputusan KPU Nomor "
            "88/Kpts/KPU/TAHUN 2015 dan lampiran Keputusan Nomor 88/Kpts/KPU/TAHUN 2015, "
            "surat 590/PL.02.4/1906/KPU-Kab/XI/2020 dan 590/PL.02.4/1906/KPU-Kab/XI/2020, "
            "kami sampaikan tindak lanjut penetapan daftar pemilih tetap."
        ),
        doc_type="surat",
        when=date(2021, 2, 1),
    ),
    _doc(
        "undangan-590",
        number="590/PL.02.4/1906/KPU-Kab/XI/2020",
        title="Undangan Rapat Koordinasi Pemutakhiran Data Pemilih",
        text=(
            "Nomor: 590/PL.02.4/1906/KPU-Kab/XI/2020. Sifat: Biasa. Hal: Undangan. "
            "Dengan hormat, dalam rangka persiapan Pemilu 2024 kami mengundang "
            "Saudara menghadiri rapat koordinasi pemutakhiran data pemilih berkelanjutan."
        ),
        doc_type="surat",
        when=date(2020, 11, 12),
    ),
    _doc(
        "ba-rekap",
        title="Berita Acara Rekapitulasi Hasil Penghitungan Suara",
        text=(
            "Pada hari ini Senin tanggal empat belas bulan Agustus tahun dua ribu sembilan "
            "belas, telah dilaksanakan rekapitulasi hasil penghitungan suara. Tidak ada "
            "keberatan dari saksi peserta pemilu. Rekapitulasi berjalan tanpa hambatan."
        ),
        doc_type="berita_acara",
        unit=PROV,
        when=date(2019, 8, 14),
    ),
    _doc(
        "notulen-rapat",
        title="Notulen Rapat Persiapan Logistik",
        text=(
            "Hari/Tanggal: Kamis, 5 Januari 2022. Agenda: persiapan logistik. "
            "Ada keberatan dari peserta rapat mengenai jadwal distribusi kotak suara."
        ),
        doc_type="notulen",
        unit=PROV,
        when=date(2022, 1, 5),
    ),
    _doc(
        "uji-konsekuensi",
        title="Laporan Uji Konsekuensi Informasi Publik",
        text=(
            "Laporan ini memuat hasil uji konsekuensi atas pengecualian informasi publik "
            "sesuai Pasal 17 Undang-Undang Keterbukaan Informasi Publik."
        ),
        doc_type="laporan",
        when=date(2021, 7, 1),
    ),
    _doc(
        "desa-milu",
        title="Catatan Kunjungan Kerja",
        text="Kunjungan kerja ke Desa Milu untuk sosialisasi kepada masyarakat setempat.",
        doc_type="lainnya",
        when=date(2018, 3, 3),
    ),
    _doc(
        "pengadaan-logistik",
        title="Pengadaan Barang Logistik",
        text="Pengadaan barang dan jasa logistik dilaksanakan melalui katalog elektronik.",
        doc_type="laporan",
        when=date(2023, 2, 2),
    ),
    _doc(
        "peraturan-731",
        number="731 TAHUN 2025",
        title="Peraturan tentang Tata Kerja Sekretariat",
        text="PERATURAN KOMISI PEMILIHAN UMUM NOMOR 731 TAHUN 2025 TENTANG TATA KERJA.",
        doc_type="peraturan",
        unit="Sekretariat Jenderal KPU",
        when=date(2025, 1, 20),
    ),
    _doc(
        "tanpa-tanggal",
        title="Catatan Tanpa Tanggal",
        text="Catatan rapat tanpa tanggal dan tanpa nomor, ditemukan dalam berkas lama.",
        doc_type="lainnya",
        unit=None,
    ),
    _doc(
        "html-surat",
        title="Surat Balasan <Permohonan> & Tanggapan",
        text="Balasan atas permohonan informasi <script>alert(1)</script> & lampiran.",
        doc_type="surat",
        when=date(2022, 9, 9),
    ),
)

RESTRICTED: tuple[IndexDoc, ...] = (
    _doc(
        "formulir-nik",
        title="Formulir Permohonan Informasi Sulastriwati",
        text=(
            f"Nama: Sulastriwati. NIK: {NIK}. Alamat: Jalan Merdeka 5. "
            "Permohonan salinan daftar pemilih tetap."
        ),
        doc_type="formulir",
        access="belum_ditinjau",
        when=date(2023, 4, 4),
        codes=(NIK,),
    ),
    _doc(
        "nota-medis",
        title="Nota Dinas Hasil Pemeriksaan Kesehatan",
        text=(
            "Hasil pemeriksaan kesehatan calon anggota: anamnesis, rekam medis dan "
            "pengecualian informasi pribadi. Dokumen ini tidak untuk publik."
        ),
        doc_type="nota_dinas",
        access="dikecualikan",
        when=date(2023, 5, 5),
        unit=PROV,
    ),
)

FILLER_YEARS = (2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023)


def filler() -> tuple[IndexDoc, ...]:
    """Many small "pleno" letters for paging, filters and facet counts."""
    docs = []
    for i in range(24):
        year = FILLER_YEARS[i % len(FILLER_YEARS)]
        docs.append(
            _doc(
                f"pleno-{i:02d}",
                title=f"Pemberitahuan Jadwal Rapat Pleno {i}",
                text=f"Rapat pleno terbuka ke-{i} membahas tahapan penyelenggaraan.",
                doc_type="surat" if i % 3 else "pengumuman",
                unit=KAB if i % 2 else PROV,
                access="belum_ditinjau" if i % 5 == 0 else "terbuka",
                when=date(year, 1 + i % 12, 1 + i),
            )
        )
    return tuple(docs)


def all_docs() -> tuple[IndexDoc, ...]:
    return SPECIAL + RESTRICTED + filler()


def texts() -> dict[str, str]:
    return {doc.id: doc.text for doc in all_docs()}
