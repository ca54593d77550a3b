#!/usr/bin/env python3
"""Writes the example data sets under data/examples/ (data/examples/README.md describes them).

    python3 scripts/generate-examples.py [OUTPUT_DIR]

Each file has its own seed, and every random draw comes from random.Random(seed).random(): its sequence
for an integer seed has been the same in every Python 3 release, so the files come out byte for byte the
same (the helpers below build normal, choice and weighted draws on it rather than on random's own, whose
algorithms have changed between releases). No download, no third-party module.
"""
import json
import math
import os
import random
import sys

SEEDS = {"churn": 25001, "letters": 25002, "housing": 25003, "sensors": 25004}


class Draws:
    """Seeded draws built on random() alone."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def uniform(self, low, high):
        return low + (high - low) * self.rng.random()

    def below(self, n):
        return min(int(self.rng.random() * n), n - 1)

    def pick(self, items):
        return items[self.below(len(items))]

    def chance(self, p):
        return self.rng.random() < p

    def normal(self):
        # Box-Muller; 1 - random() is in (0, 1], so the log is finite.
        u1 = 1.0 - self.rng.random()
        u2 = self.rng.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def weighted(self, items, weights):
        x = self.rng.random() * sum(weights)
        for item, weight in zip(items, weights):
            x -= weight
            if x < 0:
                return item
        return items[-1]

    def count(self, mean):
        """A geometric count with the given mean."""
        p = 1.0 / (1.0 + mean)
        n = 0
        while self.rng.random() > p:
            n += 1
        return n


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def intercept_for_rate(scores, rate):
    """The intercept b with mean(sigmoid(b + score)) = rate, by bisection."""
    low, high = -30.0, 30.0
    for _ in range(100):
        mid = (low + high) / 2
        mean = sum(sigmoid(mid + s) for s in scores) / len(scores)
        if mean < rate:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def money(x):
    return f"{x:.2f}"


def churn(out, draws, rows=20000, positive_rate=0.05):
    """Binary, about 5% positive, with missing values as "" and "NA"."""
    contracts = ["monthly", "annual", "biennial"]
    payments = ["echeck", "mailed", "transfer", "card"]
    internets = ["dsl", "fiber", "none"]
    regions = ["north", "south", "east", "west", "central", "coast", "hills", "metro"]
    records = []
    for i in range(rows):
        tenure = draws.below(73)
        contract = draws.weighted(contracts, [55, 25, 20])
        payment = draws.pick(payments)
        internet = draws.weighted(internets, [35, 45, 20])
        monthly = draws.uniform(18, 40) if internet == "none" else draws.uniform(40, 120)
        calls = draws.count(1.5)
        senior = 1 if draws.chance(0.16) else 0
        region = draws.pick(regions)
        paperless = draws.chance(0.6)
        score = (
            1.3 * (contract == "monthly")
            - 0.8 * (contract == "biennial")
            + 0.7 * (internet == "fiber")
            + 0.35 * calls
            - 0.045 * tenure
            + 0.012 * (monthly - 70)
            + 0.6 * (payment == "echeck")
            + 0.4 * senior
            + 0.2 * paperless
        )
        records.append(
            [i, tenure, monthly, contract, payment, internet, calls, senior, region, paperless, score]
        )
    b = intercept_for_rate([r[-1] for r in records], positive_rate)
    lines = ["customer_id,tenure_months,monthly_charges,total_charges,contract,payment_method,"
             "internet,support_calls,senior,region,paperless,churned"]
    for i, tenure, monthly, contract, payment, internet, calls, senior, region, paperless, score in records:
        churned = "yes" if draws.chance(sigmoid(b + score)) else "no"
        total = tenure * monthly * draws.uniform(0.95, 1.05)
        tenure_text = "" if draws.chance(0.03) else str(tenure)
        monthly_text = "NA" if draws.chance(0.02) else money(monthly)
        total_text = "NA" if tenure_text == "" or draws.chance(0.01) else money(total)
        payment_text = "" if draws.chance(0.04) else payment
        lines.append(",".join([
            f"C{i + 1:06d}", tenure_text, monthly_text, total_text, contract, payment_text, internet,
            str(calls), str(senior), region, "true" if paperless else "false", churned]))
    write(out, "churn.csv", lines)


LETTER_FEATURES = ["x.box", "y.box", "width", "high", "onpix", "x.bar", "y.bar", "x2bar", "y2bar",
                   "xybar", "x2ybr", "xy2br", "x.ege", "xegvy", "y.ege", "yegvx"]


def letters(out, draws, rows=10000, spread=3.5):
    """26 classes: each letter has a prototype of 16 features in 0..15, a row is it plus normal noise."""
    alphabet = [chr(ord("A") + k) for k in range(26)]
    prototypes = {
        letter: [draws.uniform(1, 14) for _ in LETTER_FEATURES] for letter in alphabet
    }
    lines = ["lettr," + ",".join(LETTER_FEATURES)]
    for _ in range(rows):
        letter = draws.pick(alphabet)
        values = [min(15, max(0, round(m + spread * draws.normal()))) for m in prototypes[letter]]
        lines.append(letter + "," + ",".join(str(v) for v in values))
    write(out, "letters.csv", lines)


def housing(out, draws, rows=5000):
    """Regression on 76 columns, Ames-like: numeric and categorical, "NA" for missing or none."""
    neighborhoods = ["NAmes", "CollgCr", "OldTown", "Edwards", "Somerst", "Gilbert", "NridgHt",
                     "Sawyer", "NWAmes", "SawyerW", "BrkSide", "Crawfor", "Mitchel", "NoRidge",
                     "Timber", "IDOTRR", "ClearCr", "StoneBr", "SWISU", "MeadowV", "Blmngtn",
                     "BrDale", "Veenker", "NPkVill", "Blueste"]
    hood_effect = {n: draws.uniform(-40000, 60000) for n in neighborhoods}
    quality = ["Po", "Fa", "TA", "Gd", "Ex"]
    quality_value = {"Po": -2, "Fa": -1, "TA": 0, "Gd": 1, "Ex": 2}
    columns = [
        "Id", "MSSubClass", "MSZoning", "LotFrontage", "LotArea", "Street", "LotShape", "LandContour",
        "Utilities", "LotConfig", "LandSlope", "Neighborhood", "Condition1", "BldgType", "HouseStyle",
        "OverallQual", "OverallCond", "YearBuilt", "YearRemodAdd", "RoofStyle", "Exterior1st",
        "MasVnrType", "MasVnrArea", "ExterQual", "ExterCond", "Foundation", "BsmtQual", "BsmtCond",
        "BsmtExposure", "BsmtFinSF1", "BsmtFinSF2", "BsmtUnfSF", "TotalBsmtSF", "Heating", "HeatingQC",
        "CentralAir", "Electrical", "1stFlrSF", "2ndFlrSF", "LowQualFinSF", "GrLivArea", "BsmtFullBath",
        "BsmtHalfBath", "FullBath", "HalfBath", "BedroomAbvGr", "KitchenAbvGr", "KitchenQual",
        "TotRmsAbvGrd", "Functional", "Fireplaces", "FireplaceQu", "GarageType", "GarageYrBlt",
        "GarageFinish", "GarageCars", "GarageArea", "GarageQual", "PavedDrive", "WoodDeckSF",
        "OpenPorchSF", "EnclosedPorch", "3SsnPorch", "ScreenPorch", "PoolArea", "Fence", "MiscVal",
        "MoSold", "YrSold", "SaleType", "SaleCondition", "Lot.Depth", "Dist to center (km)",
        "Noise dB", "School.Rating", "SalePrice"]
    lines = [",".join(columns)]
    for i in range(rows):
        hood = draws.pick(neighborhoods)
        qual = max(1, min(10, round(5.5 + 1.5 * draws.normal())))
        cond = max(1, min(9, round(5 + draws.normal())))
        built = draws.below(2010 - 1880) + 1880
        remod = max(built, built + draws.below(60)) if draws.chance(0.5) else built
        remod = min(remod, 2010)
        lot_frontage = max(21, round(70 + 20 * draws.normal()))
        lot_area = max(1300, round(lot_frontage * draws.uniform(90, 180)))
        first = max(334, round(1100 + 350 * draws.normal() + 60 * (qual - 5)))
        second = 0 if draws.chance(0.57) else max(100, round(700 + 250 * draws.normal()))
        low_qual = 0 if draws.chance(0.98) else draws.below(500) + 50
        living = first + second + low_qual
        has_basement = draws.chance(0.97)
        fin1 = round(draws.uniform(0, first * 0.9)) if has_basement and draws.chance(0.7) else 0
        fin2 = round(draws.uniform(0, 400)) if has_basement and draws.chance(0.11) else 0
        unf = max(0, round(first * draws.uniform(0.6, 1.1)) - fin1 - fin2) if has_basement else 0
        total_basement = fin1 + fin2 + unf
        garage_cars = 0 if draws.chance(0.055) else max(1, min(4, round(1.8 + 0.25 * (qual - 5) + 0.6 * draws.normal())))
        garage_area = 0 if garage_cars == 0 else round(garage_cars * draws.uniform(220, 300))
        fireplaces = 0 if draws.chance(0.47) else (1 if draws.chance(0.85) else 2)
        full_bath = max(1, min(3, round(1.5 + living / 2000 + 0.4 * draws.normal())))
        half_bath = 1 if draws.chance(0.38) else 0
        bedrooms = max(1, min(6, round(living / 550 + 0.7 * draws.normal())))
        rooms = bedrooms + 2 + draws.below(3)
        exter_qual = quality[max(1, min(4, 2 + (qual - 5) // 2))]
        kitchen_qual = quality[max(1, min(4, 2 + (qual - 5) // 2 + (1 if draws.chance(0.2) else 0)))]
        bsmt_qual = quality[max(1, min(4, 2 + (qual - 4) // 2))] if has_basement else "NA"
        masonry = draws.weighted(["None", "BrkFace", "Stone", "BrkCmn"], [60, 30, 8, 2])
        masonry_area = 0 if masonry == "None" else round(draws.uniform(50, 500))
        pool = 0 if draws.chance(0.995) else draws.below(400) + 300
        distance = round(draws.uniform(0.5, 18), 1)
        noise = round(draws.uniform(35, 75))
        school = round(draws.uniform(3, 10), 1)
        sold_year = 2006 + draws.below(5)
        price = (
            15000
            + 10500 * qual
            + 2500 * (cond - 5)
            + 48 * living
            + 22 * total_basement
            + 11000 * garage_cars
            + 5000 * fireplaces
            + 3500 * full_bath
            + 300 * (built - 1950)
            + 120 * (remod - built)
            + 9000 * quality_value[kitchen_qual]
            + 6000 * quality_value[exter_qual]
            + hood_effect[hood]
            + 1.2 * lot_area ** 0.5 * 20
            - 1800 * distance
            + 2500 * (school - 6)
            - 150 * (noise - 55)
            + 14000 * draws.normal()
        )
        price = max(34900, round(price / 100) * 100)
        garage_year = "NA" if garage_cars == 0 else str(max(built, min(2010, built + draws.below(5))))
        values = [
            i + 1,
            draws.pick([20, 30, 50, 60, 70, 80, 90, 120, 160, 190]),
            draws.weighted(["RL", "RM", "FV", "RH", "C (all)"], [79, 15, 4, 1, 1]),
            "NA" if draws.chance(0.17) else lot_frontage,
            lot_area,
            "Pave" if draws.chance(0.996) else "Grvl",
            draws.weighted(["Reg", "IR1", "IR2", "IR3"], [63, 33, 3, 1]),
            draws.weighted(["Lvl", "Bnk", "HLS", "Low"], [90, 4, 3, 3]),
            "AllPub",
            draws.weighted(["Inside", "Corner", "CulDSac", "FR2", "FR3"], [72, 18, 6, 3, 1]),
            draws.weighted(["Gtl", "Mod", "Sev"], [95, 4, 1]),
            hood,
            draws.weighted(["Norm", "Feedr", "Artery", "RRAn", "PosN"], [86, 6, 3, 2, 3]),
            draws.weighted(["1Fam", "TwnhsE", "Duplex", "Twnhs", "2fmCon"], [83, 8, 4, 3, 2]),
            "1Story" if second == 0 else draws.pick(["2Story", "1.5Fin", "SLvl"]),
            qual,
            cond,
            built,
            remod,
            draws.weighted(["Gable", "Hip", "Flat", "Gambrel"], [78, 19, 1, 2]),
            draws.weighted(["VinylSd", "HdBoard", "MetalSd", "Wd Sdng", "Plywood", "CemntBd", "BrkFace"],
                           [35, 15, 15, 14, 7, 8, 6]),
            masonry if not draws.chance(0.005) else "NA",
            masonry_area,
            exter_qual,
            draws.weighted(["TA", "Gd", "Fa"], [88, 10, 2]),
            draws.weighted(["PConc", "CBlock", "BrkTil", "Slab"], [44, 43, 10, 3]),
            bsmt_qual,
            "TA" if has_basement else "NA",
            draws.weighted(["No", "Av", "Gd", "Mn"], [65, 15, 10, 10]) if has_basement else "NA",
            fin1,
            fin2,
            unf,
            total_basement,
            "GasA" if draws.chance(0.98) else "GasW",
            draws.weighted(["Ex", "TA", "Gd", "Fa"], [51, 29, 16, 4]),
            "Y" if draws.chance(0.93) else "N",
            "SBrkr" if draws.chance(0.91) else draws.pick(["FuseA", "FuseF"]),
            first,
            second,
            low_qual,
            living,
            1 if fin1 > 0 and draws.chance(0.6) else 0,
            1 if draws.chance(0.05) else 0,
            full_bath,
            half_bath,
            bedrooms,
            1 if draws.chance(0.95) else 2,
            kitchen_qual,
            rooms,
            "Typ" if draws.chance(0.93) else draws.pick(["Min1", "Min2", "Mod"]),
            fireplaces,
            "NA" if fireplaces == 0 else draws.pick(["Gd", "TA", "Fa", "Ex"]),
            "NA" if garage_cars == 0 else draws.weighted(["Attchd", "Detchd", "BuiltIn"], [63, 28, 9]),
            garage_year,
            "NA" if garage_cars == 0 else draws.pick(["Unf", "RFn", "Fin"]),
            garage_cars,
            garage_area,
            "NA" if garage_cars == 0 else "TA",
            "Y" if draws.chance(0.92) else "N",
            0 if draws.chance(0.52) else draws.below(400) + 20,
            0 if draws.chance(0.45) else draws.below(200) + 10,
            0 if draws.chance(0.86) else draws.below(250) + 20,
            0 if draws.chance(0.98) else draws.below(300) + 20,
            0 if draws.chance(0.92) else draws.below(250) + 50,
            pool,
            "NA" if draws.chance(0.8) else draws.pick(["MnPrv", "GdPrv", "GdWo"]),
            0 if draws.chance(0.96) else draws.below(2000) + 100,
            draws.below(12) + 1,
            sold_year,
            draws.weighted(["WD", "New", "COD", "ConLD"], [87, 8, 3, 2]),
            draws.weighted(["Normal", "Partial", "Abnorml", "Family"], [82, 8, 7, 3]),
            round(lot_area / lot_frontage),
            distance,
            noise,
            school,
            price,
        ]
        lines.append(",".join(str(v) for v in values))
    write(out, "housing.csv", lines)


def sensors(out, draws, rows=5000):
    """JSON lines, multiclass status; keys with spaces and non-ASCII, a missing key or a null now and then."""
    devices = [f"dev-{k:02d}" for k in range(1, 21)]
    device_heat = {d: draws.uniform(-4, 6) for d in devices}
    sites = ["plant-a", "plant-b", "depot", "lab"]
    firmwares = ["1.2.0", "1.3.1", "2.0.0"]
    lines = []
    for i in range(rows):
        device = draws.pick(devices)
        firmware = draws.weighted(firmwares, [30, 50, 20])
        temperature = 38 + device_heat[device] + 6 * draws.normal()
        vibration = abs(0.4 + 0.25 * draws.normal())
        errors = draws.count(0.6 + (1.0 if firmware == "1.2.0" else 0.0))
        door = draws.chance(0.1)
        humidity = 45 + 12 * draws.normal()
        pressure = 1013 + 8 * draws.normal()
        risk = (
            0.12 * (temperature - 40)
            + 3.0 * (vibration - 0.4)
            + 0.5 * errors
            + (0.6 if firmware == "1.2.0" else 0.0)
            + (0.5 if door else 0.0)
            + 0.8 * draws.normal()
        )
        status = "failed" if risk > 2.6 else "degraded" if risk > 1.2 else "ok"
        day = 1 + i * 28 // rows
        seconds = draws.below(86400)
        record = {
            "reading id": f"r-{i + 1:05d}",
            "device": device,
            "site": draws.pick(sites),
            "recorded at": f"2024-03-{day:02d}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z",
            "temperature °C": round(temperature, 2),
            "humidity %": None if draws.chance(0.03) else round(humidity, 1),
            "vibration": round(vibration, 3),
            "pressure": round(pressure, 1),
            "firmware": firmware,
            "door open": door,
            "error count": errors,
            "status": status,
        }
        if draws.chance(0.02):
            del record["pressure"]
        lines.append(json.dumps(record, ensure_ascii=False))
    write(out, "sensors.jsonl", lines)


def write(out, name, lines):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{path}: {len(lines)} lines, {os.path.getsize(path):,} bytes")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "examples"))
    os.makedirs(out, exist_ok=True)
    churn(out, Draws(SEEDS["churn"]))
    letters(out, Draws(SEEDS["letters"]))
    housing(out, Draws(SEEDS["housing"]))
    sensors(out, Draws(SEEDS["sensors"]))


if __name__ == "__main__":
    main()
